import type { GraphQLClient } from './graphql-client';

export const RECORD = `mutation Record($input: BrowsingInput!) { recordBrowsing(input: $input) }`;
export const PLACE = `mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { id number status total consignee consigneePhone payment { method cardNumber } items { productId quantity unitPrice } }
}`;

/** A valid order; the card number passes Luhn. */
export function orderInput(overrides: Record<string, unknown> = {}, items = 3) {
  return {
    items: Array.from({ length: items }, (_, i) => ({
      productId: `sku-${i + 1}`,
      name: `Running shoe ${i + 1}`,
      spec: 'EU 42',
      quantity: i + 1,
      unitPrice: 29900,
    })),
    consignee: 'Wang Xiaoming',
    deliveryAddress: 'Room 1802, Tower B, Futian District, Shenzhen',
    consigneePhone: '13912345678',
    payment: { method: 'CARD', cardNumber: '4111111111111111' },
    ...overrides,
  };
}

export async function placeOrders(client: GraphQLClient, token: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const response = await client.request(PLACE, { input: orderInput() }, { token });
    if (!response.data?.placeOrder) throw new Error(`placeOrder failed: ${JSON.stringify(response.errors)}`);
    ids.push(response.data.placeOrder.id);
  }
  return ids;
}

export async function browse(client: GraphQLClient, token: string, count: number, device = 'device-1'): Promise<void> {
  const kinds = ['PAGE_VIEW', 'SEARCH', 'COLLECT', 'CART_ADD'] as const;
  for (let i = 0; i < count; i += 1) {
    const kind = kinds[i % kinds.length]!;
    const input = {
      kind,
      ...(kind === 'PAGE_VIEW' ? { url: `/products/sku-${i % 7}` } : kind === 'SEARCH' ? { query: `shoes ${i}` } : { productId: `sku-${i % 7}` }),
      device: { deviceIdentifier: device, model: 'Pixel 9', osVersion: 'Android 16', location: { latitude: 22.543096, longitude: 114.057865 } },
    };
    const response = await client.request(RECORD, { input }, { token });
    if (!response.data?.recordBrowsing) throw new Error(`recordBrowsing failed: ${JSON.stringify(response.errors)}`);
  }
}
