import type { OrderItemContent } from './order-item-content';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../common/page-info.types';
import { Classified } from '../policy/classified.decorator';
import { DataCategory } from '../policy/data-category';

export enum PaymentMethod {
  CARD = 'CARD',
  ALIPAY = 'ALIPAY',
  WECHAT_PAY = 'WECHAT_PAY',
}
registerEnumType(PaymentMethod, { name: 'PaymentMethod' });

@ObjectType({ description: 'A line of an order.', simpleResolvers: true })
export class OrderItem {
  @Classified(DataCategory.TRANSACTION) @Field(() => String, { nullable: true }) productId!: string;
  @Classified(DataCategory.TRANSACTION) @Field(() => String, { nullable: true }) name!: string;
  @Classified(DataCategory.TRANSACTION) @Field(() => String, { nullable: true }) spec!: string | null;
  @Classified(DataCategory.TRANSACTION) @Field(() => Int, { nullable: true }) quantity!: number;
  @Classified(DataCategory.TRANSACTION) @Field(() => Int, { nullable: true, description: 'In minor units (fen).' }) unitPrice!: number;
}

@ObjectType({ description: 'How an order was paid. The full card number only ever reaches the member, after a recent sign-in.', simpleResolvers: true })
export class PaymentSummary {
  // Which payment provider the member uses is part of the order's payment progress.
  @Classified(DataCategory.TRANSACTION)
  @Field(() => PaymentMethod, { nullable: true, description: 'The kind of payment only (card, Alipay, WeChat Pay).' })
  method!: PaymentMethod;
  @Classified(DataCategory.FINANCIAL, 'name') @Field(() => String, { nullable: true }) accountName!: string | null;
  @Classified(DataCategory.FINANCIAL, 'card') @Field(() => String, { nullable: true }) cardNumber!: string | null;
}

@ObjectType({ description: 'Where the shipment is.', simpleResolvers: true })
export class ShipmentInfo {
  @Classified(DataCategory.TRANSACTION) @Field(() => String, { nullable: true }) carrier!: string | null;
  @Classified(DataCategory.TRANSACTION) @Field(() => String, { nullable: true }) trackingNumber!: string | null;
  @Classified(DataCategory.TRANSACTION) @Field(() => Date, { nullable: true }) shippedAt!: Date | null;
}

@ObjectType({ description: "A member's order.", simpleResolvers: true })
export class Order {
  @Field(() => ID) id!: string;
  @Classified(DataCategory.TRANSACTION) @Field(() => String, { nullable: true }) number!: string;
  @Field({ description: 'PLACED or SHIPPED: processing state, not content.' }) status!: string;
  @Classified(DataCategory.TRANSACTION) @Field(() => Date, { nullable: true }) placedAt!: Date;
  @Classified(DataCategory.TRANSACTION) @Field(() => Int, { nullable: true, description: 'In minor units (fen).' }) total!: number;
  @Field() currency!: string;
  @Classified(DataCategory.TRANSACTION, 'name') @Field(() => String, { nullable: true }) consignee!: string;
  @Classified(DataCategory.TRANSACTION, 'address') @Field(() => String, { nullable: true }) deliveryAddress!: string;
  @Classified(DataCategory.TRANSACTION, 'phone') @Field(() => String, { nullable: true }) consigneePhone!: string;
  @Field(() => PaymentSummary) payment!: PaymentSummary;
  @Field(() => ShipmentInfo, { nullable: true }) shipment!: ShipmentInfo | null;

  /** Not a field: the items loader's key. */
  orderId!: number;

  /** Not a field: the order's lines, when its page loaded them with the orders (the operation selects `items`). */
  lines?: OrderItemContent[];
}

@ObjectType({ simpleResolvers: true })
export class OrderEdge {
  @Field() cursor!: string;
  @Field(() => Order) node!: Order;
}

@ObjectType({ description: 'Orders, newest first; hidden orders left out.', simpleResolvers: true })
export class OrderConnection {
  @Field(() => [OrderEdge]) edges!: OrderEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ description: 'What a logistics partner sees of a shipment assigned to it, and nothing more.', simpleResolvers: true })
export class Shipment {
  @Field(() => ID) id!: string;
  @Classified(DataCategory.TRANSACTION) @Field(() => String, { nullable: true }) orderNumber!: string;
  @Classified(DataCategory.TRANSACTION) @Field(() => String, { nullable: true }) trackingNumber!: string | null;
  @Classified(DataCategory.TRANSACTION, 'name') @Field(() => String, { nullable: true }) consigneeName!: string;
  @Classified(DataCategory.TRANSACTION, 'address') @Field(() => String, { nullable: true }) deliveryAddress!: string;
  @Classified(DataCategory.TRANSACTION, 'phone') @Field(() => String, { nullable: true }) consigneePhone!: string;
}

@ObjectType({ simpleResolvers: true })
export class ShipmentEdge {
  @Field() cursor!: string;
  @Field(() => Shipment) node!: Shipment;
}

@ObjectType({ simpleResolvers: true })
export class ShipmentConnection {
  @Field(() => [ShipmentEdge]) edges!: ShipmentEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ description: "A disclosure of the member's data to a third party.", simpleResolvers: true })
export class Disclosure {
  @Field(() => ID) id!: string;
  @Classified(DataCategory.ACCOUNT) @Field(() => String, { nullable: true }) recipient!: string;
  @Classified(DataCategory.ACCOUNT) @Field(() => [DataCategory], { nullable: true }) categories!: DataCategory[];
  @Classified(DataCategory.ACCOUNT) @Field(() => String, { nullable: true }) purpose!: string;
  @Classified(DataCategory.ACCOUNT) @Field(() => String, { nullable: true, description: 'contract, consent, legal obligation…' }) legalBasis!: string;
  @Classified(DataCategory.ACCOUNT) @Field(() => Date, { nullable: true }) disclosedAt!: Date;
}
