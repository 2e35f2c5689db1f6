import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Parent } from '../common/parent.decorator';
import type { AuditService } from '../audit/audit.service';
import { auditWithinMutation } from '../audit/mutation-audit';
import { ListPageArgs } from '../common/list-page.args';
import { requireMember } from '../auth/require-member';
import { requireStaff } from '../auth/require-staff';
import { StaffOnly } from '../auth/staff-only.decorator';
import { decodeIdCursor, encodeIdCursor, pageSize } from '../common/cursor';
import { PageArgs } from '../common/page.args';
import type { GatewayContext } from '../context';
import { readableRelation } from '../loaders';
import { DataCategory } from '../policy/data-category';
import { Member } from '../members/member.types';
import { ownerOf, type OwnerRef } from '../policy/owner';
import { selects } from '../common/selects';
import { PlaceOrderInput } from './order.input';
import { OrderService } from './order.service';
import { Disclosure, Order, OrderConnection, OrderItem, ShipmentConnection } from './order.types';

@ArgsType()
class ShipOrderArgs {
  @Field(() => ID) orderId!: string;
  @Field({ description: "The logistics partner's id (its tokens' partner_id)." }) carrier!: string;
  @Field() trackingNumber!: string;
}

@Resolver(() => Member)
export class OrderResolver {
  constructor(
    private readonly orderService: OrderService,
    private readonly audit: AuditService,
  ) {}

  @Mutation(() => Order, { description: 'Place an order; the disclosure to the payment provider is recorded with it.' })
  placeOrder(@Arg('input') input: PlaceOrderInput, @Ctx() context: GatewayContext, @Info() info: GraphQLResolveInfo): Promise<Order> {
    const viewer = requireMember(context);
    return this.orderService.place(viewer, input, (manager, order) => auditWithinMutation(this.audit, manager, context, info, order));
  }

  @Mutation(() => Order, { description: 'SUPPORT only: hand an order to a logistics partner; the disclosure to it is recorded.' })
  @StaffOnly('SUPPORT')
  shipOrder(@Args() { orderId, carrier, trackingNumber }: ShipOrderArgs, @Ctx() context: GatewayContext, @Info() info: GraphQLResolveInfo): Promise<Order> {
    const staff = requireStaff(context, ['SUPPORT']);
    return this.orderService.ship(orderId, carrier, trackingNumber, `shipping by ${staff.subject}`, (manager, order) =>
      auditWithinMutation(this.audit, manager, context, info, order),
    );
  }

  @Mutation(() => Int, { description: "Clear orders from the member's view (kept for legal retention). Ids that are not the member's: NOT_FOUND." })
  hideOrders(@Arg('orderIds', () => [ID]) orderIds: string[], @Ctx() context: GatewayContext): Promise<number> {
    return this.orderService.hide(requireMember(context).memberId, orderIds);
  }

  @Query(() => ShipmentConnection, { description: 'LOGISTICS_PARTNER only: its own shipments, with only what delivery needs.' })
  @StaffOnly('LOGISTICS_PARTNER')
  async shipments(@Args() page: PageArgs, @Ctx() context: GatewayContext): Promise<ShipmentConnection> {
    const partner = requireStaff(context, ['LOGISTICS_PARTNER']);
    const first = pageSize(page.first, 200);
    const before = await this.orderService.positionOf(decodeIdCursor(page.after), { partnerId: partner.partnerId! });
    const { shipments, hasNextPage } = await this.orderService.shipments(partner.partnerId!, { first, before }, (memberIds) =>
      context.loaders.ciphers.loadMany(memberIds),
    );
    const edges = shipments.map((node) => ({ cursor: encodeIdCursor(node.id), node }));
    return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @FieldResolver(() => OrderConnection, { description: 'Orders, newest first.' })
  async orders(@Parent() member: Member, @Args() page: PageArgs, @Ctx() context: GatewayContext, @Info() info: GraphQLResolveInfo): Promise<OrderConnection> {
    const first = pageSize(page.first, 200);
    const readable = await readableRelation(member, context, DataCategory.TRANSACTION, 'Member.orders');
    if (!readable) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    const [owner, cipher] = readable;
    const before = await this.orderService.positionOf(decodeIdCursor(page.after), { memberId: owner.memberId });
    const { orders, hasNextPage } = await this.orderService.page(owner, cipher, { first, before, withItems: selects(info, ['edges', 'node', 'items']) });
    const edges = orders.map((node) => ({ cursor: encodeIdCursor(node.id), node }));
    return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @FieldResolver(() => [Disclosure], { description: "Every disclosure of the member's data to a third party, newest first, a page at a time." })
  disclosures(@Parent() member: Member, @Args() page: ListPageArgs): Promise<Disclosure[]> {
    const owner = ownerOf(member);
    return owner ? this.orderService.disclosuresOf(owner, page) : Promise.resolve([]);
  }
}

@Resolver(() => Order)
export class OrderItemsResolver {
  constructor(private readonly orders: OrderService) {}

  @FieldResolver(() => [OrderItem])
  items(@Parent() order: Order, @Ctx() context: GatewayContext): OrderItem[] | Promise<OrderItem[]> {
    const owner = ownerOf(order);
    if (!owner) return [];
    // Loaded with the page (Member.orders): no promise per order.
    if (order.lines) return order.lines.map((row) => this.orders.itemView(row, owner));
    return this.loadItems(order, owner, context);
  }

  private async loadItems(order: Order, owner: OwnerRef, context: GatewayContext): Promise<OrderItem[]> {
    const cipher = await context.loaders.ciphers.load(owner.memberId);
    if (!cipher) return [];
    return this.orders.openItems(await context.loaders.orderItems.load(order.orderId), cipher).map((row) => this.orders.itemView(row, owner));
  }
}
