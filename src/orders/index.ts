// Orders, their items and shipments, and the disclosures to payment providers and carriers that
// they cause (written in the same transaction). Partners reach only their own shipments' delivery
// fields; hiding an order removes it from the member's view, not from the database.
export { OrderService } from './order.service';
export { OrderResolver, OrderItemsResolver } from './order.resolver';
export { Order, Shipment, Disclosure } from './order.types';
