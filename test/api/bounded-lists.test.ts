import { randomUUID } from 'node:crypto';
import { NotificationEntity } from '../../src/privacy/notification.entity';
import { registerMember } from '../support/members';
import { placeOrders } from '../support/storefront';
import { useGateway } from '../support/use-gateway';

const REQUEST = `mutation($input: PrivacyRequestInput!) { requestPrivacy(input: $input) { id } }`;

describe('every list is bounded and pages', () => {
  const { t, idp } = useGateway({ staff: true });

  it.each([
    ['disclosures', `{ me { disclosures(first: 101) { id } } }`],
    ['notifications', `{ me { notifications(first: 101) { id } } }`],
    ['privacyRequests', `{ me { privacyRequests(first: 101) { id } } }`],
    ['automatedDecisions', `{ me { automatedDecisions(first: 101) { id } } }`],
  ])("refuses more than 100 of a member's %s with BAD_USER_INPUT naming first", async (_field, query) => {
    const m = await registerMember(t.client, { consents: ['MEMBERSHIP', 'PERSONALIZATION'] });
    const response = await t.client.request(query, {}, { token: m.accessToken });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('pages a member’s disclosures and notifications by `first` and `after`, newest first, without gaps or repeats', async () => {
    const m = await registerMember(t.client);
    await placeOrders(t.client, m.accessToken, 3);
    const all = (await t.client.request(`{ me { disclosures { id disclosedAt } } }`, {}, { token: m.accessToken })).data!.me.disclosures as Array<{
      id: string;
    }>;
    expect(all).toHaveLength(3);
    const page1 = (await t.client.request(`{ me { disclosures(first: 2) { id } } }`, {}, { token: m.accessToken })).data!.me.disclosures as Array<{
      id: string;
    }>;
    const page2 = (
      await t.client.request(`query($after: ID) { me { disclosures(first: 2, after: $after) { id } } }`, { after: page1[1]!.id }, { token: m.accessToken })
    ).data!.me.disclosures as Array<{ id: string }>;
    expect([...page1, ...page2].map((d) => d.id)).toEqual(all.map((d) => d.id));

    // Notifications written at the same second still page in a stable order (time, then id).
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    await t.dataSource.getRepository(NotificationEntity).insert(
      Array.from({ length: 5 }, (_, i) => ({
        id: randomUUID(),
        memberId: m.member.id,
        kind: 'INCIDENT',
        incidentId: null,
        title: `Notice ${i}`,
        body: 'Body',
        createdAt: at,
      })),
    );
    const seen: string[] = [];
    let after: string | null = null;
    for (let round = 0; round < 5; round += 1) {
      const page = (await t.client.request(`query($after: ID) { me { notifications(first: 2, after: $after) { id } } }`, { after }, { token: m.accessToken }))
        .data!.me.notifications as Array<{ id: string }>;
      seen.push(...page.map((n) => n.id));
      if (page.length < 2) break;
      after = page.at(-1)!.id;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    const unknown = await t.client.request(`{ me { notifications(first: 2, after: "no-such-item") { id } } }`, {}, { token: m.accessToken });
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('pages the staff privacy-request queue soonest due first instead of cutting it off, and caps its page size', async () => {
    const officer = await idp.sign({ roles: ['PRIVACY_OFFICER'] }, { subject: 'dpo-pages' });
    const members = await Promise.all([0, 1, 2].map(() => registerMember(t.client)));
    for (const m of members) {
      for (let i = 0; i < 2; i += 1) await t.client.request(REQUEST, { input: { type: 'ACCESS' } }, { token: m.accessToken });
    }
    const QUEUE = `query($after: ID) { privacyRequests(status: RECEIVED, first: 4, after: $after) { id dueAt } }`;
    const seen: Array<{ id: string; dueAt: string }> = [];
    let after: string | null = null;
    for (let round = 0; round < 50; round += 1) {
      const page = (await t.client.request(QUEUE, { after }, { token: officer })).data!.privacyRequests as Array<{ id: string; dueAt: string }>;
      seen.push(...page);
      if (page.length < 4) break;
      after = page.at(-1)!.id;
    }
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(new Set(seen.map((r) => r.id)).size).toBe(seen.length);
    expect(seen.map((r) => r.dueAt)).toEqual([...seen.map((r) => r.dueAt)].sort());
    const tooMany = await t.client.request(`{ privacyRequests(first: 101) { id } }`, {}, { token: officer });
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const byDefault = (await t.client.request(`{ privacyRequests { id } }`, {}, { token: officer })).data!.privacyRequests;
    expect(byDefault.length).toBeLessThanOrEqual(50);
  });
});
