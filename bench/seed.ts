import { signDevStaffToken } from '../src/auth/dev-staff-token';
import { readOrCreateKeyFile } from '../src/secrets';
import { post } from './post';

/** Access-log rows the measured member needs: more than the 500-row page. */
const ACCESS_LOG_ROWS = 500;

/**
 * Seeds through the gateway's own API, so every row is in the at-rest format the gateway writes.
 * The measured member: 50 orders × 3 items (every other one shipped), 200 browsing events from 3
 * devices, more than 500 reads of their data by support (their access log). `others` members
 * with 5 orders and 20 events each around them. Returns the measured member's access token.
 */
export async function seed(url: string, dataDir: string, others: number): Promise<string> {
  const support = await signDevStaffToken(readOrCreateKeyFile(dataDir).devStaffKey, { role: 'SUPPORT', subject: 'bench-agent' });
  const measured = await register(url, 'bench_member_0', phoneOf(0));
  const readsPerRequest = 6; // memberName, phone, contactName, contactAddress, birthDate, createdAt
  const supportReads = async () => {
    for (let i = 0; i * readsPerRequest < ACCESS_LOG_ROWS + readsPerRequest; i += 1) {
      await gql(
        url,
        'query($id: ID!, $p: String!) { member(id: $id, purpose: $p) { memberName phone contactName contactAddress birthDate createdAt } }',
        { id: measured.id, p: `TICKET-${i}` },
        support,
      );
    }
  };
  // Three workers for the others beside the measured member's three chains: the gateway overlaps their statements.
  let next = 1;
  const worker = async () => {
    for (let m = next++; m <= others; m = next++) {
      const member = await register(url, `bench_member_${m}`, phoneOf(m));
      await placeOrders(url, member.token, support, 5);
      await browse(url, member.token, 20);
    }
  };
  await Promise.all([placeOrders(url, measured.token, support, 50), browse(url, measured.token, 200), supportReads(), worker(), worker(), worker()]);
  return measured.token;
}

const phoneOf = (m: number) => `1380013${String(8000 + m).padStart(4, '0')}`;

async function register(url: string, name: string, phone: string): Promise<{ token: string; id: string }> {
  const { register: payload } = await gql(url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken member { id } } }', {
    i: {
      memberName: name,
      password: 'Bench-Password-1',
      phone,
      contactName: 'Li Lei',
      contactAddress: 'No. 1 Nanjing Road, Huangpu District, Shanghai',
      birthDate: '1990-05-17',
      consents: ['MEMBERSHIP'],
    },
  });
  return { token: payload.accessToken, id: payload.member.id };
}

async function placeOrders(url: string, token: string, support: string, count: number): Promise<void> {
  for (let o = 0; o < count; o += 1) {
    const { placeOrder } = await gql(
      url,
      'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }',
      {
        i: {
          items: [1, 2, 3].map((n) => ({ productId: `sku-${(o + n) % 40}`, name: `Product ${n}`, spec: 'M', quantity: n, unitPrice: 1999 })),
          consignee: 'Wang Xiaoming',
          deliveryAddress: 'Room 1802, Tower B, Futian District, Shenzhen',
          consigneePhone: '13912345678',
          payment: { method: 'CARD', cardNumber: '4111111111111111' },
        },
      },
      token,
    );
    if (o % 2 === 0)
      await gql(
        url,
        'mutation($id: ID!) { shipOrder(orderId: $id, carrier: "sf-express", trackingNumber: "SF0000000001") { id } }',
        { id: placeOrder.id },
        support,
      );
  }
}

async function browse(url: string, token: string, count: number): Promise<void> {
  for (let e = 0; e < count; e += 1) {
    const kind = ['PAGE_VIEW', 'SEARCH', 'COLLECT', 'CART_ADD'][e % 4]!;
    const subject = kind === 'PAGE_VIEW' ? { url: `/products/sku-${e % 40}` } : kind === 'SEARCH' ? { query: `shoes ${e}` } : { productId: `sku-${e % 40}` };
    await gql(
      url,
      'mutation($i: BrowsingInput!) { recordBrowsing(input: $i) }',
      { i: { kind, ...subject, device: { deviceIdentifier: `device-${e % 3}`, model: 'Pixel 9', osVersion: 'Android 16' } } },
      token,
    );
  }
}

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const result = JSON.parse((await post(url, JSON.stringify({ query, variables }), token)).text) as { data?: any; errors?: unknown };
  if (result.errors) throw new Error(`seeding failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}
