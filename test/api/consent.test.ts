import { randomUUID } from 'node:crypto';
import type { EntitySubscriberInterface } from 'typeorm';
import { useGateway } from '../support/use-gateway';
import { ConsentEventEntity } from '../../src/consent/consent-event.entity';
import { ME, REGISTER, newMemberInput, registerMember } from '../support/members';

const GRANT = `mutation($purpose: ConsentPurpose!) { grantConsent(purpose: $purpose) { purpose granted method channel } }`;
const CONSENTS = `{ me { consents { purpose granted method channel } } }`;

describe('the consent ledger', () => {
  const { t } = useGateway();

  const state = async (token: string, purpose: string) =>
    (await t.client.request(CONSENTS, {}, { token })).data!.me.consents.find((consent: { purpose: string }) => consent.purpose === purpose);

  it('reads only the newest decision per purpose on a consent check, however long the ledger', async () => {
    const m = await registerMember(t.client);
    const ledger = t.dataSource.getRepository(ConsentEventEntity);
    const start = (await ledger.maximum('seq', { memberId: m.member.id })) ?? 0;
    // 300 alternating decisions on MARKETING and ANALYTICS_COOKIES; the last of each is a grant.
    await ledger.insert(
      Array.from({ length: 300 }, (_, i) => ({
        id: randomUUID(),
        memberId: m.member.id,
        purpose: (i % 2 === 0 ? 'MARKETING' : 'ANALYTICS_COOKIES') as ConsentEventEntity['purpose'],
        granted: i >= 298 || i % 4 < 2,
        method: 'EXPLICIT',
        policyVersion: null,
        createdAt: new Date(),
        channel: 'api',
        guardianSealed: null,
        seq: start + i + 1,
      })),
    );
    let loaded = 0;
    const counter: EntitySubscriberInterface<ConsentEventEntity> = { listenTo: () => ConsentEventEntity, afterLoad: () => void (loaded += 1) };
    t.dataSource.subscribers.push(counter);
    try {
      const consents = (await t.client.request(CONSENTS, {}, { token: m.accessToken })).data!.me.consents as Array<{ purpose: string; granted: boolean }>;
      expect(
        consents
          .filter((consent) => consent.granted)
          .map((consent) => consent.purpose)
          .sort(),
      ).toEqual(['ANALYTICS_COOKIES', 'MARKETING', 'MEMBERSHIP']);
    } finally {
      t.dataSource.subscribers.splice(t.dataSource.subscribers.indexOf(counter), 1);
    }
    expect(loaded).toBeGreaterThan(0);
    expect(loaded).toBeLessThanOrEqual(8);
  });

  it('starts optional purposes off and records each decision with its channel, appending only', async () => {
    const m = await registerMember(t.client);
    expect(await state(m.accessToken, 'MARKETING')).toMatchObject({ granted: false, method: null });
    const granted = await t.client.request(GRANT, { purpose: 'MARKETING' }, { token: m.accessToken, headers: { 'x-client-channel': 'mobile' } });
    expect(granted.data!.grantConsent).toEqual({ purpose: 'MARKETING', granted: true, method: 'EXPLICIT', channel: 'mobile' });
    const before = await t.dataSource.getRepository(ConsentEventEntity).findBy({ memberId: m.member.id });
    await t.client.request(
      `mutation { withdrawConsent(purpose: MARKETING) { granted } }`,
      {},
      { token: m.accessToken, headers: { 'x-client-channel': 'storefront' } },
    );
    const after = await t.dataSource.getRepository(ConsentEventEntity).findBy({ memberId: m.member.id });
    expect(after).toHaveLength(before.length + 1);
    // Nothing earlier was changed.
    for (const row of before) expect(after.find((other) => other.id === row.id)).toEqual(row);
    expect(await state(m.accessToken, 'MARKETING')).toMatchObject({ granted: false, method: 'EXPLICIT', channel: 'storefront' });
  });

  it('treats Sec-GPC: 1 as withdrawal of PARTNER_SHARING and MARKETING, recorded as global privacy control', async () => {
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'PARTNER_SHARING', 'MARKETING', 'PERSONALIZATION'] });
    await t.client.request(ME, {}, { token: m.accessToken, headers: { 'sec-gpc': '1' } });
    expect(await state(m.accessToken, 'PARTNER_SHARING')).toMatchObject({ granted: false, method: 'GLOBAL_PRIVACY_CONTROL' });
    expect(await state(m.accessToken, 'MARKETING')).toMatchObject({ granted: false, method: 'GLOBAL_PRIVACY_CONTROL' });
    expect(await state(m.accessToken, 'PERSONALIZATION')).toMatchObject({ granted: true });
    // The signal on a later request records nothing new.
    const rows = await t.dataSource.getRepository(ConsentEventEntity).countBy({ memberId: m.member.id });
    await t.client.request(ME, {}, { token: m.accessToken, headers: { 'sec-gpc': '1' } });
    expect(await t.dataSource.getRepository(ConsentEventEntity).countBy({ memberId: m.member.id })).toBe(rows);
  });

  it("needs a guardian for a minor's optional purposes, at registration and after", async () => {
    const tenYearsAgo = new Date(Date.now() - 10 * 365.25 * 86400000).toISOString().slice(0, 10);
    const refused = await t.client.request(REGISTER, { input: newMemberInput({ birthDate: tenYearsAgo, consents: ['MEMBERSHIP', 'MARKETING'] }) });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', requiresGuardian: true, requiredConsent: 'MARKETING' });
    const minor = await registerMember(t.client, { birthDate: tenYearsAgo });
    const alone = await t.client.request(GRANT, { purpose: 'PERSONALIZATION' }, { token: minor.accessToken });
    expect(alone.errors![0]!.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', requiresGuardian: true });
    const withGuardian = await t.client.request(
      `mutation { grantConsent(purpose: PERSONALIZATION, guardian: { name: "Zhang Wei", contact: "13700000001", relationship: "father" }) { granted method } }`,
      {},
      { token: minor.accessToken },
    );
    expect(withGuardian.data!.grantConsent).toEqual({ granted: true, method: 'GUARDIAN' });
    const row = await t.dataSource.getRepository(ConsentEventEntity).findOneByOrFail({ memberId: minor.member.id, purpose: 'PERSONALIZATION' as never });
    expect(row.guardianSealed).toMatch(/^v1\./);
    expect(row.guardianSealed).not.toContain('Zhang');

    const adult = await registerMember(t.client);
    const needless = await t.client.request(
      `mutation { grantConsent(purpose: MARKETING, guardian: { name: "X Y", contact: "abc", relationship: "aunt" }) { granted } }`,
      {},
      { token: adult.accessToken },
    );
    expect(needless.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'guardian' });
  });
});
