import { useGateway } from '../support/use-gateway';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { BrowsingEventEntity } from '../../src/browsing/browsing-event.entity';
import { DeviceEntity } from '../../src/browsing/device.entity';
import { OrderEntity } from '../../src/orders/order.entity';
import { RetentionService } from '../../src/privacy/retention.service';
import { auditServiceOf, sequenceAll } from '../support/audit';
import { registerMember } from '../support/members';
import { placeOrders, RECORD } from '../support/storefront';

const DAY = 24 * 3600 * 1000;

describe('retention, with an injected clock', () => {
  const { t, idp } = useGateway({ staff: true });

  it('deletes browsing after 180 days, searches after 90, devices after 365, hidden orders after the legal period, and expires old audit entries without breaking the chain', async () => {
    const m = await registerMember(t.client);
    const record = (input: Record<string, unknown>) => t.client.request(RECORD, { input }, { token: m.accessToken });
    const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    await record({ kind: 'PAGE_VIEW', url: '/old', occurredAt: ago(200), device: { deviceIdentifier: 'old-phone' } });
    await record({ kind: 'PAGE_VIEW', url: '/recent', occurredAt: ago(10) });
    await record({ kind: 'SEARCH', query: 'old search', occurredAt: ago(100) });
    await record({ kind: 'SEARCH', query: 'new search', occurredAt: ago(5) });
    const [hidden, kept] = await placeOrders(t.client, m.accessToken, 2);
    await t.client.request(`mutation($ids: [ID!]!) { hideOrders(orderIds: $ids) }`, { ids: [hidden] }, { token: m.accessToken });
    await t.client.request(
      `query($id: ID!) { member(id: $id, purpose: "TICKET-R") { phone } }`,
      { id: m.member.id },
      { token: await idp.sign({ roles: ['SUPPORT'] }) },
    );

    // Retention removes sequenced entries only, from the start of the chain.
    await sequenceAll(t);
    const audit = await auditServiceOf(t);
    const retention = new RetentionService(t.dataSource, audit, {
      browsingDays: 180,
      searchDays: 90,
      deviceDays: 365,
      hiddenOrderDays: 1095,
      auditDays: 1095,
      decisionDays: 365,
      intervalHours: 24,
    });

    // Today: only the old page view and the old search are past their periods.
    const today = await retention.run(new Date());
    expect(today).toMatchObject({ browsingEventsDeleted: 1, searchesDeleted: 1, devicesDeleted: 0, hiddenOrdersDeleted: 0, auditEntriesExpired: 0 });
    expect((await t.dataSource.getRepository(BrowsingEventEntity).findBy({ memberId: m.member.id })).map((event) => event.kind).sort()).toEqual([
      'PAGE_VIEW',
      'SEARCH',
    ]);

    // Four years on: the device, the hidden order and the audit entries are past theirs; the visible order stays.
    const later = await retention.run(new Date(Date.now() + 4 * 365 * DAY));
    expect(later.devicesDeleted).toBe(1);
    expect(later.hiddenOrdersDeleted).toBe(1);
    expect(later.auditEntriesExpired).toBeGreaterThan(0);
    expect(await t.dataSource.getRepository(DeviceEntity).countBy({ memberId: m.member.id })).toBe(0);
    expect((await t.dataSource.getRepository(OrderEntity).findBy({ memberId: m.member.id })).map((order) => order.publicId)).toEqual([kept]);
    expect(await t.dataSource.getRepository(AuditEventEntity).count()).toBe(0);
    expect(await audit.verify()).toMatchObject({ intact: true });

    // New entries chain on from the moved base and still verify.
    await t.client.request(
      `query($id: ID!) { member(id: $id, purpose: "TICKET-S") { phone } }`,
      { id: m.member.id },
      { token: await idp.sign({ roles: ['SUPPORT'] }) },
    );
    await sequenceAll(t);
    const officer = await idp.sign({ roles: ['PRIVACY_OFFICER'] });
    expect((await t.client.request(`{ auditIntegrity { intact checkedEntries } }`, {}, { token: officer })).data!.auditIntegrity).toMatchObject({
      intact: true,
      checkedEntries: 1,
    });
  });

  it('deletes in batches of bounded size, through the age indexes, and keeps the audit chain verifiable across batches', async () => {
    const m = await registerMember(t.client);
    const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    for (let i = 0; i < 5; i += 1)
      await t.client.request(RECORD, { input: { kind: 'PAGE_VIEW', url: `/old-${i}`, occurredAt: ago(300) } }, { token: m.accessToken });
    for (let i = 0; i < 5; i += 1)
      await t.client.request(
        `query($id: ID!) { member(id: $id, purpose: "TICKET-B") { phone } }`,
        { id: m.member.id },
        { token: await idp.sign({ roles: ['SUPPORT'] }) },
      );
    await sequenceAll(t);
    const audit = await auditServiceOf(t);
    const retention = new RetentionService(
      t.dataSource,
      audit,
      { browsingDays: 180, searchDays: 90, deviceDays: 365, hiddenOrderDays: 1095, auditDays: 1095, decisionDays: 365, intervalHours: 24 },
      2,
    );
    const deletes: string[] = [];
    const logQuery = jest.spyOn(t.dataSource.logger, 'logQuery').mockImplementation((query: string, parameters?: unknown) => {
      if (/^DELETE FROM\W+browsing_event/i.test(query)) deletes.push(`${query} ${JSON.stringify(parameters ?? [])}`);
    });
    let report;
    try {
      report = await retention.run(new Date());
    } finally {
      logQuery.mockRestore();
    }
    expect(report.browsingEventsDeleted).toBe(5);
    expect(deletes).toHaveLength(3);
    for (const statement of deletes) expect((JSON.parse(statement.slice(statement.indexOf(' ['))) as unknown[]).length).toBeLessThanOrEqual(2);

    const expired = await retention.run(new Date(Date.now() + 4 * 365 * DAY));
    expect(expired.auditEntriesExpired).toBeGreaterThanOrEqual(5);
    expect(await t.dataSource.getRepository(AuditEventEntity).count()).toBe(0);
    expect(await audit.verify()).toMatchObject({ intact: true });

    // The indexes retention relies on exist on both databases.
    const indexes = await t.dataSource.createQueryRunner().getTable('browsing_event');
    expect(indexes!.indices.map((index) => index.name)).toContain('ix_browsing_event_occurred');
  });
});

describe('retention left to an outside schedule (RETENTION_INTERVAL_HOURS=0)', () => {
  const { t } = useGateway({ env: { RETENTION_INTERVAL_HOURS: '0' } });

  it('runs no retention job in the gateway, while its other jobs still tick', async () => {
    const reports = await t.gateway.jobs.tick();
    expect(Object.keys(reports).sort()).toEqual(['audit-sequencer', 'erasure-outbox']);
  });
});
