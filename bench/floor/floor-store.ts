import { type FloorSql, placeholders } from './floor-sql';

// Rows as the tables hold them (the gateway's entities name the same columns); sealed columns are
// ciphertexts, datetimes stored text.
export interface ViewerRow {
  id: string;
  member_name: string;
  phone: string;
  contact_name: string;
  contact_address: string | null;
  birth_date: string | null;
  created_at: string;
  tokens_valid_after: string | null;
  wrapped_key: string;
  expires_at: string;
}

export interface OrderRow {
  id: number;
  public_id: string;
  number: string;
  status: string;
  total_minor: number;
  currency: string;
  consignee_name: string;
  delivery_address: string;
  consignee_phone: string;
  payment_method: string;
  payment_account_name: string | null;
  card_number: string | null;
  placed_at: string;
  partner_id: string | null;
  tracking_number: string | null;
  shipped_at: string | null;
}

export interface ItemRow {
  order_id: number;
  content: string;
}

export interface EventRow {
  public_id: string;
  kind: string;
  subject: string | null;
  product_id: string | null;
  occurred_at: string;
  device_id: string | null;
}

export interface DeviceRow {
  id: string;
  identifier: string;
  model: string | null;
  os_version: string | null;
  ip_address: string | null;
  location: string | null;
  last_seen_at: string;
}

export interface AuditRow {
  id: string;
  occurred_at: string;
  actor_kind: string;
  actor_id: string | null;
  field: string;
  category: string;
  outcome: string;
  purpose: string | null;
}

const ORDER_COLUMNS =
  'id, public_id, number, status, total_minor, currency, consignee_name, delivery_address, consignee_phone, payment_method, payment_account_name, card_number, placed_at, partner_id, tracking_number, shipped_at';
const DEVICE_COLUMNS = 'id, identifier, model, os_version, ip_address, location, last_seen_at';

/**
 * Every statement the floor runs, one per level of the response: the same rows, in the same
 * order, as the gateway's services read. `first` is an integer checked by the caller.
 */
export class FloorStore {
  constructor(private readonly sql: FloorSql) {}

  get statements(): number {
    return this.sql.statements;
  }

  /** The session check: a live session of an active member, with the member's row and wrapped key, in one statement. */
  async viewer(sessionId: string, memberId: string): Promise<ViewerRow | undefined> {
    const rows = await this.sql.all<ViewerRow>(
      `SELECT m.id, m.member_name, m.phone, m.contact_name, m.contact_address, m.birth_date, m.created_at, m.tokens_valid_after, k.wrapped_key, s.expires_at
       FROM auth_session s JOIN member m ON m.id = s.member_id JOIN member_key k ON k.member_id = m.id
       WHERE s.id = ? AND s.member_id = ? AND s.revoked_at IS NULL AND m.status = 'ACTIVE'`,
      [sessionId, memberId],
    );
    return rows[0];
  }

  /** Newest first, hidden ones left out. */
  orders(memberId: string, first: number): Promise<OrderRow[]> {
    return this.sql.all(`SELECT ${ORDER_COLUMNS} FROM purchase_order WHERE member_id = ? AND hidden_at IS NULL ORDER BY id DESC LIMIT ${first}`, [memberId]);
  }

  items(orderIds: readonly number[]): Promise<ItemRow[]> {
    if (orderIds.length === 0) return Promise.resolve([]);
    return this.sql.all(`SELECT order_id, content FROM order_item WHERE order_id IN (${placeholders(orderIds.length)}) ORDER BY id`, orderIds);
  }

  /** Newest first by occurredAt, ties by public id. */
  history(memberId: string, first: number): Promise<EventRow[]> {
    return this.sql.all(
      `SELECT public_id, kind, subject, product_id, occurred_at, device_id FROM browsing_event WHERE member_id = ? ORDER BY occurred_at DESC, public_id DESC LIMIT ${first}`,
      [memberId],
    );
  }

  /** Most recently seen first. */
  devices(memberId: string): Promise<DeviceRow[]> {
    return this.sql.all(`SELECT ${DEVICE_COLUMNS} FROM device WHERE member_id = ? ORDER BY last_seen_at DESC`, [memberId]);
  }

  devicesByIds(ids: readonly string[]): Promise<DeviceRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.sql.all(`SELECT ${DEVICE_COLUMNS} FROM device WHERE id IN (${placeholders(ids.length)})`, ids);
  }

  /** Reads of the member's data by anyone but the member, newest first. */
  accessLog(memberId: string, first: number): Promise<AuditRow[]> {
    return this.sql.all(
      `SELECT id, occurred_at, actor_kind, actor_id, field, category, outcome, purpose FROM audit_event
       WHERE owner_member_id = ? AND (actor_id IS NULL OR actor_id <> ?) ORDER BY occurred_at DESC, id DESC LIMIT ${first}`,
      [memberId, memberId],
    );
  }
}
