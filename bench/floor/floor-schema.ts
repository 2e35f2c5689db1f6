import {
  buildSchema,
  GraphQLError,
  type GraphQLFieldResolver,
  GraphQLObjectType,
  type GraphQLResolveInfo,
  GraphQLScalarType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { type MemberColumns } from './floor-crypto';
import { isoDate } from './floor-sql';
import type { AuditRow, DeviceRow, EventRow, FloorStore, ItemRow, OrderRow, ViewerRow } from './floor-store';

/** What every resolver of one request reads: the checked viewer's row and the member's columns. */
export interface FloorContext {
  store: FloorStore;
  viewer: ViewerRow;
  columns: MemberColumns;
  minorAge: number;
}

/**
 * The part of the gateway's schema the bench queries touch, with the same type and field names, so
 * the same query text gives the same `data`. No policy: every field is the owner's own value.
 */
const SDL = /* GraphQL */ `
  scalar DateTime
  enum BrowsingKind {
    PAGE_VIEW
    SEARCH
    COLLECT
    CART_ADD
    FOLLOW
    SHARE
  }
  enum PaymentMethod {
    CARD
    ALIPAY
    WECHAT_PAY
  }
  enum DataCategory {
    ACCOUNT
    CONTACT
    GOVERNMENT_ID
    BIOMETRIC
    FINANCIAL
    TRANSACTION
    LOCATION
    DEVICE
    BROWSING
  }
  type Query {
    me: Member
  }
  type Member {
    id: ID!
    memberName: String
    phone: String
    contactName: String
    contactAddress: String
    birthDate: String
    isMinor: Boolean
    createdAt: DateTime
    orders(first: Int): OrderConnection!
    browsingHistory(first: Int): BrowsingConnection!
    devices: [Device!]!
    accessLog(first: Int): AuditConnection!
  }
  type OrderConnection {
    edges: [OrderEdge!]!
  }
  type OrderEdge {
    node: Order!
  }
  type Order {
    id: ID!
    number: String
    status: String!
    placedAt: DateTime
    total: Int
    currency: String!
    consignee: String
    deliveryAddress: String
    consigneePhone: String
    items: [OrderItem!]!
    payment: PaymentSummary!
    shipment: ShipmentInfo
  }
  type OrderItem {
    productId: String
    name: String
    spec: String
    quantity: Int
    unitPrice: Int
  }
  type PaymentSummary {
    method: PaymentMethod
    accountName: String
    cardNumber: String
  }
  type ShipmentInfo {
    carrier: String
    trackingNumber: String
    shippedAt: DateTime
  }
  type BrowsingConnection {
    edges: [BrowsingEdge!]!
  }
  type BrowsingEdge {
    node: BrowsingEvent!
  }
  type BrowsingEvent {
    id: ID!
    kind: BrowsingKind
    url: String
    query: String
    productId: String
    occurredAt: DateTime
    device: Device
  }
  type Device {
    id: ID!
    deviceIdentifier: String
    model: String
    osVersion: String
    ipAddress: String
    lastLocation: String
    lastSeenAt: DateTime
  }
  type AuditConnection {
    edges: [AuditEdge!]!
  }
  type AuditEdge {
    node: AuditEntry!
  }
  type AuditEntry {
    id: ID!
    at: DateTime
    actorKind: String
    actorId: String
    field: String
    category: DataCategory
    outcome: String
    purpose: String
  }
`;

type Resolver<Source> = GraphQLFieldResolver<Source, FloorContext, { first?: number | null }>;

/** An order with its lines, opened when the query selects them. */
type OrderNode = OrderRow & { lines?: OrderItemView[] };
type EventNode = EventRow & { device?: DeviceView | null };
interface OrderItemView {
  productId: string;
  name: string;
  spec: string | null;
  quantity: number;
  unitPriceMinor: number;
}
type DeviceView = Record<'id' | 'deviceIdentifier' | 'model' | 'osVersion' | 'ipAddress' | 'lastLocation' | 'lastSeenAt', string | null>;

const SUBJECT_FIELD: Record<string, 'url' | 'query' | 'productId'> = {
  PAGE_VIEW: 'url',
  SEARCH: 'query',
  COLLECT: 'productId',
  CART_ADD: 'productId',
  FOLLOW: 'productId',
  SHARE: 'productId',
};

const sealed =
  (column: string, key: string): Resolver<any> =>
  (row, _args, { columns }) =>
    columns.open(column, row[key] as string | null);

const subjectOf = (row: EventNode, field: 'url' | 'query' | 'productId', columns: MemberColumns) =>
  SUBJECT_FIELD[row.kind] === field ? columns.open('browsing_subject', row.subject) : field === 'productId' ? row.product_id : null;

const RESOLVERS: Record<string, Record<string, Resolver<any>>> = {
  Query: { me: (_root, _args, { viewer }) => viewer },
  Member: {
    memberName: sealed('member_name', 'member_name'),
    phone: sealed('phone', 'phone'),
    contactName: sealed('contact_name', 'contact_name'),
    contactAddress: sealed('contact_address', 'contact_address'),
    birthDate: sealed('birth_date', 'birth_date'),
    isMinor: (row: ViewerRow, _args, { columns, minorAge }) => isMinor(columns.open('birth_date', row.birth_date), minorAge),
    createdAt: (row: ViewerRow) => isoDate(row.created_at),
    orders: async (row: ViewerRow, { first }, { store, columns }, info) => {
      const orders: OrderNode[] = await store.orders(row.id, pageSize(first, 200));
      if (selects(info, ['edges', 'node', 'items'])) {
        const byOrder = new Map(orders.map((order): [number, OrderItemView[]] => [order.id, (order.lines = [])]));
        for (const item of await store.items(orders.map((order) => order.id))) byOrder.get(item.order_id)!.push(openItem(item, columns));
      }
      return { edges: orders.map((node) => ({ node })) };
    },
    browsingHistory: async (row: ViewerRow, { first }, { store, columns }, info) => {
      const events: EventNode[] = await store.history(row.id, pageSize(first, 200));
      if (selects(info, ['edges', 'node', 'device'])) {
        const rows = await store.devicesByIds([...new Set(events.flatMap((event) => (event.device_id ? [event.device_id] : [])))]);
        const devices = new Map(rows.map((device) => [device.id, deviceView(device, columns)]));
        for (const event of events) event.device = event.device_id ? (devices.get(event.device_id) ?? null) : null;
      }
      return { edges: events.map((node) => ({ node })) };
    },
    devices: async (row: ViewerRow, _args, { store, columns }) => (await store.devices(row.id)).map((device) => deviceView(device, columns)),
    accessLog: async (row: ViewerRow, { first }, { store }) => ({ edges: (await store.accessLog(row.id, pageSize(first, 500))).map((node) => ({ node })) }),
  },
  Order: {
    id: (row: OrderNode) => row.public_id,
    placedAt: (row: OrderNode) => isoDate(row.placed_at),
    total: (row: OrderNode) => row.total_minor,
    consignee: sealed('order_consignee_name', 'consignee_name'),
    deliveryAddress: sealed('order_delivery_address', 'delivery_address'),
    consigneePhone: sealed('order_consignee_phone', 'consignee_phone'),
    items: (row: OrderNode) => row.lines,
    payment: (row: OrderNode) => row,
    shipment: (row: OrderNode) => (row.partner_id ? row : null),
  },
  OrderItem: { unitPrice: (item: OrderItemView) => item.unitPriceMinor },
  PaymentSummary: {
    method: (row: OrderNode) => row.payment_method,
    accountName: sealed('order_payment_account_name', 'payment_account_name'),
    cardNumber: sealed('order_card_number', 'card_number'),
  },
  ShipmentInfo: {
    carrier: (row: OrderNode) => row.partner_id,
    trackingNumber: (row: OrderNode) => row.tracking_number,
    shippedAt: (row: OrderNode) => row.shipped_at && isoDate(row.shipped_at),
  },
  BrowsingEvent: {
    id: (row: EventNode) => row.public_id,
    url: (row: EventNode, _args, { columns }) => subjectOf(row, 'url', columns),
    query: (row: EventNode, _args, { columns }) => subjectOf(row, 'query', columns),
    productId: (row: EventNode, _args, { columns }) => subjectOf(row, 'productId', columns),
    occurredAt: (row: EventNode) => isoDate(row.occurred_at),
  },
  AuditEntry: {
    id: (row: AuditRow) => row.id,
    at: (row: AuditRow) => isoDate(row.occurred_at),
    actorKind: (row: AuditRow) => row.actor_kind,
    actorId: (row: AuditRow) => row.actor_id,
  },
};

/** The floor's executable schema: the SDL above with RESOLVERS attached; DateTime values are already ISO text. */
export function floorSchema() {
  const schema = buildSchema(SDL);
  Object.assign(schema.getType('DateTime') as GraphQLScalarType, { serialize: (value: unknown) => value });
  for (const [typeName, fields] of Object.entries(RESOLVERS)) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const [fieldName, resolve] of Object.entries(fields)) type.getFields()[fieldName]!.resolve = resolve;
  }
  return schema;
}

function openItem(item: ItemRow, columns: MemberColumns): OrderItemView {
  return JSON.parse(columns.open(`order_item:${item.order_id}`, item.content)) as OrderItemView;
}

function deviceView(row: DeviceRow, columns: MemberColumns): DeviceView {
  return {
    id: row.id,
    deviceIdentifier: columns.open('device_identifier', row.identifier),
    model: columns.open('device_model', row.model),
    osVersion: columns.open('device_os_version', row.os_version),
    ipAddress: columns.open('device_ip_address', row.ip_address),
    lastLocation: columns.open('device_location', row.location),
    lastSeenAt: isoDate(row.last_seen_at),
  };
}

/** `first` within 1..max, default 20 (as the gateway's pages). */
function pageSize(first: number | null | undefined, max: number): number {
  if (first === null || first === undefined) return 20;
  if (first < 1 || first > max) throw new GraphQLError(`first must be between 1 and ${max}`);
  return first;
}

/** Same rule as the gateway (src/policy/owner-facts.ts): completed years in UTC below `minorAge`. */
function isMinor(birthDate: string | null, minorAge: number, today = new Date()): boolean {
  if (birthDate === null) return false;
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const hadBirthday = today.getUTCMonth() + 1 > month || (today.getUTCMonth() + 1 === month && today.getUTCDate() >= day);
  return today.getUTCFullYear() - year - (hadBirthday ? 0 : 1) < minorAge;
}

/** Whether the field being resolved selects `path` (through fragments): the resolver then loads that level in the same pass. */
function selects(info: GraphQLResolveInfo, path: string[]): boolean {
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const name of path) {
    const next: SelectionSetNode[] = [];
    const collect = (set: SelectionSetNode): void => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value === name) next.push(selection.selectionSet ?? { kind: Kind.SELECTION_SET, selections: [] });
        } else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
        else {
          const fragment = info.fragments[selection.name.value];
          if (fragment) collect(fragment.selectionSet);
        }
      }
    };
    sets.forEach(collect);
    if (next.length === 0) return false;
    sets = next;
  }
  return true;
}
