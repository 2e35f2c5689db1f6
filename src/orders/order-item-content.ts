import type { FieldCipher } from '../crypto';

/** The sealed part of an order line. */
export interface OrderItemContent {
  productId: string;
  name: string;
  spec: string | null;
  quantity: number;
  /** In minor units (fen). */
  unitPriceMinor: number;
}

/** Bound to the order as well as to the member, so a line cannot be replayed into another order. */
const column = (orderId: number) => `order_item:${orderId}`;

export function sealItem(cipher: FieldCipher, orderId: number, item: OrderItemContent): string {
  const { productId, name, spec, quantity, unitPriceMinor } = item;
  return cipher.seal(column(orderId), JSON.stringify({ productId, name, spec, quantity, unitPriceMinor }));
}

export function openItem(cipher: FieldCipher, orderId: number, sealed: string): OrderItemContent {
  return JSON.parse(cipher.open(column(orderId), sealed)) as OrderItemContent;
}
