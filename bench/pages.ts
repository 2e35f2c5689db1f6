/** A response the bench measures; the same query text goes to T1, T3 and the gateway. */
export interface Page {
  key: 'me' | 'orders10' | 'orders50' | 'list500';
  label: string;
  query: string;
}

/** The 500-row list is measured before the order pages: their audit writes land in the same table it reads. */
export const PAGES: Page[] = [
  { key: 'me', label: '`me` (8 scalar fields)', query: '{ me { id memberName phone contactName contactAddress birthDate isMinor createdAt } }' },
  {
    key: 'list500',
    label: '500-row list: `me.accessLog(first: 500)`',
    query: '{ me { accessLog(first: 500) { edges { node { id at actorKind actorId field category outcome purpose } } } } }',
  },
  {
    key: 'orders10',
    label: '`me.orders(first: 10)` with items, consignee, phone',
    query:
      '{ me { orders(first: 10) { edges { node { number status total placedAt consignee consigneePhone items { productId name spec quantity unitPrice } } } } } }',
  },
  {
    key: 'orders50',
    label: '50 orders × 3 items + 200 history rows + devices',
    query: `{ me {
  orders(first: 50) { edges { node { number status total placedAt consignee deliveryAddress consigneePhone items { productId name spec quantity unitPrice } payment { method cardNumber } shipment { carrier trackingNumber } } } }
  browsingHistory(first: 200) { edges { node { kind url query productId occurredAt device { model osVersion } } } }
  devices { model osVersion ipAddress lastSeenAt }
} }`,
  },
];
