import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { RealNameIdentityEntity } from '../../src/identity/real-name-identity.entity';
import { VerificationEntity } from '../../src/identity/verification.entity';
import { residentId, SUBMIT } from '../support/identity';
import { registerMember } from '../support/members';
import { orderInput, PLACE } from '../support/storefront';
import { OrderEntity } from '../../src/orders/order.entity';
import { DisclosureEntity } from '../../src/orders/disclosure.entity';
import { useGateway } from '../support/use-gateway';
import { auditSequencerOf, SETTLED_MS } from '../support/audit';

const INTEGRITY = `{ auditIntegrity { intact checkedEntries firstBrokenEntry } }`;
const MEMBER = `query Member($id: ID!, $purpose: String!) { member(id: $id, purpose: $purpose) { id phone contactName birthDate } }`;

describe('the audit trail and the changes it records', () => {
  const { t, idp } = useGateway({ staff: true });

  it('commits submitRealName and its audit records together: a failing audit write leaves no change and answers SERVICE_UNAVAILABLE', async () => {
    const m = await registerMember(t.client, { birthDate: '1990-05-17', consents: ['MEMBERSHIP', 'REAL_NAME_AUTH'] });
    const input = { legalName: '李雷', documentType: 'ID_CARD', documentNumber: residentId('19900517') };
    await t.dataSource.query('ALTER TABLE audit_event RENAME TO audit_event_away');
    let response;
    try {
      response = await t.client.request(SUBMIT, { input }, { token: m.accessToken });
    } finally {
      await t.dataSource.query('ALTER TABLE audit_event_away RENAME TO audit_event');
    }
    expect(response.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
    expect(response.data?.submitRealName ?? null).toBeNull();
    expect(await t.dataSource.getRepository(RealNameIdentityEntity).countBy({ memberId: m.member.id })).toBe(0);
    expect(await t.dataSource.getRepository(VerificationEntity).countBy({ memberId: m.member.id })).toBe(0);

    // With the trail back, the same submission commits with its records in the same transaction.
    const ok = await t.client.request(SUBMIT, { input }, { token: m.accessToken });
    expect(ok.errors).toBeUndefined();
    const rows = await t.dataSource.getRepository(AuditEventEntity).findBy({ requestId: ok.headers.get('x-request-id')! });
    // documentType is classified (GOVERNMENT_ID) since the classify merge: audited like the number.
    expect(rows.map((row) => row.field).sort()).toEqual(['RealNameIdentity.documentNumber', 'RealNameIdentity.documentType', 'RealNameIdentity.legalName']);
  });

  it('commits placeOrder, its disclosure and its audit records together or not at all', async () => {
    const m = await registerMember(t.client);
    await t.dataSource.query('ALTER TABLE audit_event RENAME TO audit_event_away');
    let response;
    try {
      response = await t.client.request(PLACE, { input: orderInput() }, { token: m.accessToken });
    } finally {
      await t.dataSource.query('ALTER TABLE audit_event_away RENAME TO audit_event');
    }
    expect(response.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
    expect(await t.dataSource.getRepository(OrderEntity).countBy({ memberId: m.member.id })).toBe(0);
    expect(await t.dataSource.getRepository(DisclosureEntity).countBy({ memberId: m.member.id })).toBe(0);
  });

  it('never reports tampering on an intact chain while staff reads append to it and the sequencer chains them', async () => {
    const members = await Promise.all([0, 1, 2].map(() => registerMember(t.client)));
    const officer = await idp.sign({ roles: ['PRIVACY_OFFICER'] }, { subject: 'dpo-snapshot' });
    const support = await idp.sign({ roles: ['SUPPORT'] }, { subject: 'agent-snapshot' });
    const checks: Array<Promise<{ intact: boolean }>> = [];
    const reads: Array<Promise<unknown>> = [];
    const rounds: Array<Promise<unknown>> = [];
    const sequencer = await auditSequencerOf(t);
    for (let round = 0; round < 20; round += 1) {
      rounds.push(sequencer.round(new Date(Date.now() + SETTLED_MS)));
      for (const m of members) {
        reads.push(t.client.request(MEMBER, { id: m.member.id, purpose: `TICKET-${round}` }, { token: support }).then((r) => expect(r.errors).toBeUndefined()));
      }
      checks.push(t.client.request(INTEGRITY, {}, { token: officer }).then((r) => r.data!.auditIntegrity));
    }
    const results = await Promise.all(checks);
    await Promise.all([...reads, ...rounds]);
    expect(results.map((result) => result.intact)).toEqual(Array(20).fill(true));
    expect((await t.client.request(INTEGRITY, {}, { token: officer })).data!.auditIntegrity.intact).toBe(true);
  });
});
