import { AutomatedDecisionEntity } from '../../src/browsing/automated-decision.entity';
import { BiometricEnrollmentEntity } from '../../src/biometrics/biometric-enrollment.entity';
import { BrowsingEventEntity } from '../../src/browsing/browsing-event.entity';
import { DeviceEntity } from '../../src/browsing/device.entity';
import { ConsentPurpose } from '../../src/consent/consent-purpose';
import { WITHDRAWAL_EFFECTS } from '../../src/consent/withdrawal-effects';
import { RealNameIdentityEntity } from '../../src/identity/real-name-identity.entity';
import { VerificationEntity } from '../../src/identity/verification.entity';
import { OrderEntity } from '../../src/orders/order.entity';
import { ENROL, residentId, REVIEW, SUBMIT, vector, WITHDRAW } from '../support/identity';
import { registerMember } from '../support/members';
import { orderInput, PLACE, RECORD } from '../support/storefront';
import { useGateway } from '../support/use-gateway';

type Member = Awaited<ReturnType<typeof registerMember>>;

/**
 * One test per optional purpose, showing over HTTP what its withdrawal does: what is deleted in
 * the same transaction (as WITHDRAWAL_EFFECTS lists) and, for purposes nothing stored depends
 * on, that nothing but the ledger changes.
 */
describe('withdrawal effects, per purpose', () => {
  const { t, idp } = useGateway({ staff: true });

  const join = (purpose: ConsentPurpose) => registerMember(t.client, { consents: ['MEMBERSHIP', purpose] });
  const withdraw = async (m: Member, purpose: ConsentPurpose) => {
    const response = await t.client.request(WITHDRAW, { purpose }, { token: m.accessToken });
    expect(response.data!.withdrawConsent).toEqual({ purpose, granted: false });
  };
  const covered = new Set<string>();
  const effect = (purpose: ConsentPurpose, name: string, body: () => Promise<void>) => {
    covered.add(purpose);
    it(`${purpose}: ${name}`, body);
  };

  effect(ConsentPurpose.PERSONALIZATION, 'deletes the product ids kept for recommending and stops new decisions; decisions made stay', async () => {
    const m = await join(ConsentPurpose.PERSONALIZATION);
    await t.client.request(RECORD, { input: { kind: 'COLLECT', productId: 'effect-sku' } }, { token: m.accessToken });
    await t.client.request(`{ recommendations(first: 3) { id } }`, {}, { token: m.accessToken });
    expect(await t.dataSource.getRepository(AutomatedDecisionEntity).countBy({ memberId: m.member.id })).toBe(1);
    await withdraw(m, ConsentPurpose.PERSONALIZATION);
    const events = await t.dataSource.getRepository(BrowsingEventEntity).findBy({ memberId: m.member.id });
    expect(events.map((event) => event.productId)).toEqual([null]);
    expect(await t.dataSource.getRepository(AutomatedDecisionEntity).countBy({ memberId: m.member.id })).toBe(1);
  });

  effect(ConsentPurpose.LOCATION, 'deletes stored device positions', async () => {
    const m = await join(ConsentPurpose.LOCATION);
    const device = { deviceIdentifier: 'phone-1', location: { latitude: 22.54, longitude: 114.05 } };
    await t.client.request(RECORD, { input: { kind: 'PAGE_VIEW', url: '/', device } }, { token: m.accessToken });
    expect((await t.dataSource.getRepository(DeviceEntity).findOneByOrFail({ memberId: m.member.id })).locationSealed).not.toBeNull();
    await withdraw(m, ConsentPurpose.LOCATION);
    expect((await t.dataSource.getRepository(DeviceEntity).findOneByOrFail({ memberId: m.member.id })).locationSealed).toBeNull();
  });

  effect(ConsentPurpose.REAL_NAME_AUTH, 'deletes the identity, its verification cases and the face enrolment', async () => {
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'REAL_NAME_AUTH', 'BIOMETRIC'] });
    await t.client.request(
      SUBMIT,
      { input: { legalName: '孙十一', documentType: 'ID_CARD', documentNumber: residentId('19900517', '440305', '451') } },
      { token: m.accessToken },
    );
    const pending = await t.dataSource.getRepository(VerificationEntity).findOneByOrFail({ memberId: m.member.id, status: 'PENDING' });
    await t.client.request(REVIEW, { id: pending.id, approve: true }, { token: await idp.sign({ roles: ['VERIFIER'] }) });
    expect((await t.client.request(ENROL, { kind: 'FACE', template: vector(71) }, { token: m.accessToken })).errors).toBeUndefined();
    await withdraw(m, ConsentPurpose.REAL_NAME_AUTH);
    expect(await t.dataSource.getRepository(RealNameIdentityEntity).countBy({ memberId: m.member.id })).toBe(0);
    expect(await t.dataSource.getRepository(VerificationEntity).countBy({ memberId: m.member.id })).toBe(0);
    expect(await t.dataSource.getRepository(BiometricEnrollmentEntity).countBy({ memberId: m.member.id })).toBe(0);
  });

  effect(ConsentPurpose.BIOMETRIC, 'deletes every biometric template', async () => {
    const m = await join(ConsentPurpose.BIOMETRIC);
    expect((await t.client.request(ENROL, { kind: 'VOICEPRINT', template: vector(72) }, { token: m.accessToken })).errors).toBeUndefined();
    await withdraw(m, ConsentPurpose.BIOMETRIC);
    expect(await t.dataSource.getRepository(BiometricEnrollmentEntity).countBy({ memberId: m.member.id })).toBe(0);
  });

  for (const purpose of [ConsentPurpose.PARTNER_SHARING, ConsentPurpose.ANALYTICS_COOKIES, ConsentPurpose.MARKETING] as const) {
    effect(purpose, 'records the withdrawal and deletes nothing (nothing stored depends on it)', async () => {
      const m = await join(purpose);
      await t.client.request(RECORD, { input: { kind: 'PAGE_VIEW', url: '/kept' } }, { token: m.accessToken });
      await t.client.request(PLACE, { input: orderInput() }, { token: m.accessToken });
      await withdraw(m, purpose);
      expect(await t.dataSource.getRepository(BrowsingEventEntity).countBy({ memberId: m.member.id })).toBe(1);
      expect(await t.dataSource.getRepository(OrderEntity).countBy({ memberId: m.member.id })).toBe(1);
      expect(WITHDRAWAL_EFFECTS[purpose].deletes).toEqual([]);
    });
  }

  it('has one test above for every optional purpose in WITHDRAWAL_EFFECTS', () => {
    expect([...covered].sort()).toEqual(Object.keys(WITHDRAWAL_EFFECTS).sort());
    expect(Object.keys(WITHDRAWAL_EFFECTS).sort()).toEqual(
      Object.values(ConsentPurpose)
        .filter((purpose) => purpose !== ConsentPurpose.MEMBERSHIP)
        .sort(),
    );
  });
});
