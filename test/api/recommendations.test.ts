import { randomUUID } from 'node:crypto';
import { AutomatedDecisionEntity } from '../../src/browsing/automated-decision.entity';
import { BrowsingEventEntity } from '../../src/browsing/browsing-event.entity';
import { RetentionService } from '../../src/privacy/retention.service';
import { auditServiceOf } from '../support/audit';
import { WITHDRAW } from '../support/identity';
import { registerMember } from '../support/members';
import { orderInput, PLACE, RECORD } from '../support/storefront';
import { useGateway } from '../support/use-gateway';

const RECOMMEND = `query Recommend($first: Int) { recommendations(first: $first) { id score } }`;
const DECISIONS = `{ me { automatedDecisions { kind outcome factors { productId events weight } } } }`;
const DAY = 24 * 3600 * 1000;

describe('recommendations', () => {
  // RECOMMENDATION_MIN_MEMBERS is left at its default, 5.
  const { t } = useGateway();

  const consenting = () => registerMember(t.client, { consents: ['MEMBERSHIP', 'PERSONALIZATION'] });
  const touch = async (token: string, productId: string, kind = 'CART_ADD') => {
    const response = await t.client.request(RECORD, { input: { kind, productId } }, { token });
    expect(response.errors).toBeUndefined();
  };
  const anonymousIds = async () =>
    ((await t.client.request(RECOMMEND, { first: 50 })).data!.recommendations as Array<{ id: string }>).map((product) => product.id);
  const decisionsOf = (memberId: string) => t.dataSource.getRepository(AutomatedDecisionEntity).countBy({ memberId });

  it('refuses a productId that is not an identifier at recordBrowsing, naming productId, and stores nothing', async () => {
    const m = await consenting();
    for (const productId of ['<script>alert(1)</script>', '', 'a'.repeat(65), 'red shoe', 'sku/1', '鞋-1', 'sku-1\n']) {
      const response = await t.client.request(RECORD, { input: { kind: 'CART_ADD', productId } }, { token: m.accessToken });
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'productId' });
      expect(JSON.stringify(response.errors)).not.toContain('<script>');
    }
    expect(await t.dataSource.getRepository(BrowsingEventEntity).countBy({ memberId: m.member.id })).toBe(0);
    await touch(m.accessToken, 'Sku-1.a:b_c-' + 'x'.repeat(52));
  });

  it('refuses such a productId in placeOrder items too', async () => {
    const m = await registerMember(t.client);
    const items = [{ productId: '<script>alert(1)</script>', name: 'Shoe', quantity: 1, unitPrice: 100 }];
    const response = await t.client.request(PLACE, { input: orderInput({ items }) }, { token: m.accessToken });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'items.0.productId' });
  });

  it('never shows an anonymous visitor a product that one member alone browsed, such as a <script> id sent before validation existed', async () => {
    const m = await consenting();
    // As a row written before productId was validated would be: straight into the table.
    await t.dataSource.getRepository(BrowsingEventEntity).insert({
      publicId: randomUUID(),
      memberId: m.member.id,
      kind: 'CART_ADD',
      subjectSealed: null,
      productId: '<script>alert(1)</script>',
      deviceId: null,
      occurredAt: new Date(),
    });
    const response = await t.client.request(RECOMMEND, { first: 50 });
    expect(response.errors).toBeUndefined();
    expect(JSON.stringify(response.data)).not.toContain('script');
  });

  it('shows others only products that at least RECOMMENDATION_MIN_MEMBERS (5) distinct members touched, scored by member count', async () => {
    const members = await Promise.all(Array.from({ length: 5 }, () => consenting()));
    for (const m of members) await touch(m.accessToken, 'five-members');
    for (const m of members.slice(0, 4)) for (let i = 0; i < 5; i += 1) await touch(m.accessToken, 'four-members-many-events');
    const everyone = (await t.client.request(RECOMMEND, { first: 50 })).data!.recommendations as Array<{ id: string; score: number }>;
    expect(everyone).toContainEqual({ id: 'five-members', score: 5 });
    expect(everyone.map((product) => product.id)).not.toContain('four-members-many-events');
    // A member without PERSONALIZATION consent gets the same aggregate.
    const plain = await registerMember(t.client);
    expect((await t.client.request(RECOMMEND, { first: 50 }, { token: plain.accessToken })).data!.recommendations).toEqual(everyone);
    expect(await decisionsOf(plain.member.id)).toBe(0);
  });

  it("counts only members who consent to PERSONALIZATION: others' browsing never reaches the aggregate", async () => {
    const quiet = await Promise.all(Array.from({ length: 6 }, () => registerMember(t.client)));
    for (const m of quiet) await touch(m.accessToken, 'unconsented-sku');
    expect(await anonymousIds()).not.toContain('unconsented-sku');
    // Their history keeps the product (sealed subject); only the plain copy used for recommending is absent.
    const history = await t.client.request(`{ me { browsingHistory(first: 5) { edges { node { productId } } } } }`, {}, { token: quiet[0]!.accessToken });
    expect(history.data!.me.browsingHistory.edges[0].node.productId).toBe('unconsented-sku');
    const rows = await t.dataSource.getRepository(BrowsingEventEntity).findBy({ memberId: quiet[0]!.member.id });
    expect(rows.map((row) => row.productId)).toEqual([null]);

    // Five consenting members make it visible; one of them withdrawing takes it below the threshold again.
    const fans = await Promise.all(Array.from({ length: 5 }, () => consenting()));
    for (const m of fans) await touch(m.accessToken, 'consented-sku');
    expect(await anonymousIds()).toContain('consented-sku');
    await t.client.request(WITHDRAW, { purpose: 'PERSONALIZATION' }, { token: fans[0]!.accessToken });
    expect(await anonymousIds()).not.toContain('consented-sku');
  });

  it('records an automated decision at most once per member, model version and day, even for concurrent queries', async () => {
    const fan = await consenting();
    await touch(fan.accessToken, 'daily-sku');
    const burst = await Promise.all(Array.from({ length: 8 }, () => t.client.request(RECOMMEND, { first: 3 }, { token: fan.accessToken })));
    for (const response of burst) expect(response.data!.recommendations[0]).toEqual({ id: 'daily-sku', score: 3 });
    for (let i = 0; i < 3; i += 1) await t.client.request(RECOMMEND, { first: 3 }, { token: fan.accessToken });
    const [decision] = await t.dataSource.getRepository(AutomatedDecisionEntity).findBy({ memberId: fan.member.id });
    expect(await decisionsOf(fan.member.id)).toBe(1);
    expect(decision).toMatchObject({ kind: 'RECOMMENDATION', modelVersion: 'recent-weights-v1', decidedOn: new Date().toISOString().slice(0, 10) });

    // Yesterday's decision does not stand for today's.
    const yesterday = new Date(Date.now() - DAY);
    await t.dataSource
      .getRepository(AutomatedDecisionEntity)
      .update({ id: decision!.id }, { decidedOn: yesterday.toISOString().slice(0, 10), decidedAt: yesterday });
    await t.client.request(RECOMMEND, { first: 3 }, { token: fan.accessToken });
    expect(await decisionsOf(fan.member.id)).toBe(2);
  });

  it('lets retention expire automated decisions after RETENTION_DECISION_DAYS', async () => {
    const fan = await consenting();
    await touch(fan.accessToken, 'expiring-sku');
    await t.client.request(RECOMMEND, { first: 3 }, { token: fan.accessToken });
    const retention = new RetentionService(t.dataSource, await auditServiceOf(t), {
      browsingDays: 10_000,
      searchDays: 10_000,
      deviceDays: 10_000,
      hiddenOrderDays: 10_000,
      auditDays: 10_000,
      decisionDays: 365,
      intervalHours: 24,
    });
    expect((await retention.run(new Date(Date.now() + 300 * DAY))).automatedDecisionsExpired).toBe(0);
    expect(await decisionsOf(fan.member.id)).toBe(1);
    expect((await retention.run(new Date(Date.now() + 366 * DAY))).automatedDecisionsExpired).toBeGreaterThanOrEqual(1);
    expect(await decisionsOf(fan.member.id)).toBe(0);
  });

  it('on PERSONALIZATION withdrawal deletes the derived product ids and makes no new decision, while decisions made stay listed', async () => {
    const fan = await consenting();
    await touch(fan.accessToken, 'withdrawn-sku');
    expect((await t.client.request(RECOMMEND, { first: 3 }, { token: fan.accessToken })).data!.recommendations[0].id).toBe('withdrawn-sku');
    const before = (await t.client.request(DECISIONS, {}, { token: fan.accessToken })).data!.me.automatedDecisions;
    expect(before).toHaveLength(1);

    const withdrawn = await t.client.request(WITHDRAW, { purpose: 'PERSONALIZATION' }, { token: fan.accessToken });
    expect(withdrawn.data!.withdrawConsent).toEqual({ purpose: 'PERSONALIZATION', granted: false });
    expect(await t.dataSource.getRepository(BrowsingEventEntity).countBy({ memberId: fan.member.id, productId: 'withdrawn-sku' })).toBe(0);
    await t.dataSource.getRepository(AutomatedDecisionEntity).update({ memberId: fan.member.id }, { decidedOn: '2000-01-01' });
    const after = await t.client.request(RECOMMEND, { first: 3 }, { token: fan.accessToken });
    expect(after.data!.recommendations.map((product: { id: string }) => product.id)).not.toContain('withdrawn-sku');
    expect(await decisionsOf(fan.member.id)).toBe(1);
    expect((await t.client.request(DECISIONS, {}, { token: fan.accessToken })).data!.me.automatedDecisions).toEqual(before);
  });
});
