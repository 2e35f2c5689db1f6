import { getIntrospectionQuery } from 'graphql';
import { fragmentBomb, meBomb, ordersBomb, placeOrderBomb, recommendationsBomb, stepUpBomb } from '../../../bench/bombs';
import type { GraphQLResponse } from '../../support/graphql-client';
import { newMemberInput, registerMember, REGISTER } from '../../support/members';
import { browse, orderInput, placeOrders } from '../../support/storefront';
import { useGateway } from '../../support/use-gateway';

// A refusal is decided from the document alone: "well under a second" even on a loaded CI machine.
const REFUSAL_MS = 1000;

const STOREFRONT = `query Storefront($orders: Int, $history: Int) { me { id memberName phone contactName
  orders(first: $orders) { edges { node { number status total placedAt consignee deliveryAddress consigneePhone items { productId name spec quantity unitPrice } payment { method cardNumber } shipment { carrier trackingNumber } } } pageInfo { hasNextPage endCursor } }
  browsingHistory(first: $history) { edges { node { kind url query productId occurredAt device { model osVersion } } } }
  consents { purpose granted } } }`;

describe('hostile clients: operation limits', () => {
  const { t, idp } = useGateway({ staff: true });

  /** Sends the operation while /healthz is asked; both must answer, the operation well under a second. */
  async function hostile(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse> {
    const started = performance.now();
    const [response, health] = await Promise.all([
      t.client.request(query, variables, { token }).then((answer) => ({ answer, ms: performance.now() - started })),
      fetch(`${t.origin}/healthz`),
    ]);
    expect(health.status).toBe(200);
    expect(response.ms).toBeLessThan(REFUSAL_MS);
    return response.answer;
  }

  function expectRefused(response: GraphQLResponse, reason: string, limit: number, extra: Record<string, unknown> = {}) {
    expect(response.status).toBe(400);
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason, limit, measured: expect.any(Number), ...extra });
    expect(response.errors![0]!.extensions!.measured).toBeGreaterThan(limit);
  }

  it('refuses the 80 KB fragment bomb before parsing it (MAX_TOKENS)', async () => {
    const response = await hostile(fragmentBomb());
    expectRefused(response, 'MAX_TOKENS', 2000);
  });

  it('refuses 20 aliases × orders(first: 100) × 60 items × 60 names by its cost, before any resolver runs', async () => {
    const member = await registerMember(t.client);
    await placeOrders(t.client, member.accessToken, 1);
    const response = await hostile(ordersBomb(), {}, member.accessToken);
    expectRefused(response, 'MAX_COST', 20000);
  });

  it('refuses 3000 aliases of me { phone } and 1000 of recommendations(first: 50) before parsing (MAX_TOKENS)', async () => {
    const member = await registerMember(t.client);
    expectRefused(await hostile(meBomb(), {}, member.accessToken), 'MAX_TOKENS', 4000);
    expectRefused(await hostile(recommendationsBomb(), {}, member.accessToken), 'MAX_TOKENS', 4000);
  });

  it('refuses fewer aliased root fields than the token budget allows by the root-field budget (MAX_ROOT_FIELDS)', async () => {
    const member = await registerMember(t.client);
    const roots = Array.from({ length: 100 }, (_, i) => `m${i}: me { phone }`).join(' ');
    expectRefused(await hostile(`{ ${roots} }`, {}, member.accessToken), 'MAX_ROOT_FIELDS', 10);
  });

  it('reads first from the variables: recommendations(first: $n) with a huge n is refused (MAX_COST)', async () => {
    const response = await hostile('query($n: Int) { a: recommendations(first: $n) { id score } }', { n: 1_000_000 });
    expectRefused(response, 'MAX_COST', 2000);
  });

  it('refuses exponentially nested fragment spreads quickly by their expanded cost', async () => {
    const member = await registerMember(t.client);
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Member { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const response = await hostile(`{ me { ...F0 } } ${fragments} fragment F${levels} on Member { id }`, {}, member.accessToken);
    expectRefused(response, 'MAX_COST', 20000);
  });

  it('refuses a selection deeper than the anonymous budget before register runs (MAX_DEPTH)', async () => {
    const input = newMemberInput();
    const deep = `mutation($input: RegisterInput!) { register(input: $input) { member { orders(first: 1) { edges { node { items { name } } } } } } }`;
    expectRefused(await hostile(deep, { input }), 'MAX_DEPTH', 6);
    // Nothing was written: the same registration still succeeds.
    expect((await t.client.request(REGISTER, { input })).data?.register.member.memberName).toBe(input.memberName);
  });

  it('refuses more aliases than the member budget (MAX_ALIASES)', async () => {
    const member = await registerMember(t.client);
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ');
    expectRefused(await hostile(`{ me { ${aliases} } }`, {}, member.accessToken), 'MAX_ALIASES', 30);
  });

  it('refuses 20 aliased stepUp before any password is hashed (one sign-in mutation per operation)', async () => {
    const member = await registerMember(t.client);
    const response = await hostile(stepUpBomb(), { p: member.input.password }, member.accessToken);
    expectRefused(response, 'MAX_ROOT_FIELDS', 1, { scope: 'SIGN_IN_MUTATIONS' });
  });

  it('refuses two different sign-in mutations in one operation', async () => {
    const member = await registerMember(t.client);
    const query = `mutation($p: String!, $r: String!) { stepUp(password: $p) { expiresIn } refreshToken(refreshToken: $r) { expiresIn } }`;
    const response = await hostile(query, { p: member.input.password, r: member.refreshToken }, member.accessToken);
    expectRefused(response, 'MAX_ROOT_FIELDS', 1, { scope: 'SIGN_IN_MUTATIONS' });
    // The refresh token was not rotated: it still works once.
    const refreshed = await t.client.request(`mutation($r: String!) { refreshToken(refreshToken: $r) { expiresIn } }`, { r: member.refreshToken });
    expect(refreshed.errors).toBeUndefined();
  });

  it('refuses 200 aliased placeOrder before any runs (at most 5 root mutation fields)', async () => {
    const member = await registerMember(t.client);
    const response = await hostile(placeOrderBomb(), { input: orderInput() }, member.accessToken);
    expectRefused(response, 'MAX_ROOT_FIELDS', 5, { scope: 'MUTATION' });
    const orders = await t.client.request(`{ me { orders(first: 1) { edges { node { id } } } } }`, {}, { token: member.accessToken });
    expect(orders.data!.me.orders.edges).toEqual([]);
  });

  it('budgets by viewer: six root fields are too many anonymously but fine for a member', async () => {
    const member = await registerMember(t.client);
    const six = `{ ${Array.from({ length: 6 }, (_, i) => `p${i}: privacyPolicy { version }`).join(' ')} }`;
    expectRefused(await hostile(six), 'MAX_ROOT_FIELDS', 5);
    expect((await t.client.request(six, {}, { token: member.accessToken })).errors).toBeUndefined();
  });

  it('budgets by viewer: staff may spend more than a member', async () => {
    const member = await registerMember(t.client);
    const query = 'query($n: Int) { recommendations(first: $n) { id score } }';
    expectRefused(await hostile(query, { n: 12_000 }, member.accessToken), 'MAX_COST', 20000);
    const staff = await t.client.request(query, { n: 12_000 }, { token: await idp.sign({ roles: ['SUPPORT'] }) });
    // Past the limits, the resolver's own page-size rule answers.
    expect(staff.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('lets the storefront page, the policy archive and GraphiQL introspection through well inside budget', async () => {
    const member = await registerMember(t.client);
    await placeOrders(t.client, member.accessToken, 3);
    await browse(t.client, member.accessToken, 4);
    const page = await t.client.request(STOREFRONT, { orders: 50, history: 200 }, { token: member.accessToken });
    expect(page.errors).toBeUndefined();
    expect(page.data!.me.orders.edges).toHaveLength(3);
    const anonymous = await t.client.request(
      `{ privacyPolicies { version summary text publishedAt } privacyPolicy { version } recommendations(first: 50) { id score } }`,
    );
    expect(anonymous.errors).toBeUndefined();
    const introspection = await t.client.request(getIntrospectionQuery());
    expect(introspection.errors).toBeUndefined();
  });
});
