import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Parent } from '../common/parent.decorator';
import { selects } from '../common/selects';
import { ListPageArgs } from '../common/list-page.args';
import { requireMember } from '../auth/require-member';
import { decodeTimeCursor, encodeTimeCursor, pageSize } from '../common/cursor';
import type { GatewayContext } from '../context';
import { ownerAndCipher, readableRelation } from '../loaders';
import { DataCategory } from '../policy/data-category';
import { Member } from '../members/member.types';
import { BrowsingInput } from './browsing.input';
import { BrowsingService } from './browsing.service';
import { AutomatedDecision, BrowsingConnection, BrowsingEvent, BrowsingKind, Device, Product } from './browsing.types';
import { RecommendationService } from './recommendation.service';

@ArgsType()
class BrowsingHistoryArgs {
  @Field(() => Int, { nullable: true, description: 'Page size (default 20, at most 200).' }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => BrowsingKind, { nullable: true }) kind?: BrowsingKind | null;
}

@Resolver(() => Member)
export class BrowsingResolver {
  constructor(
    private readonly browsing: BrowsingService,
    private readonly recommender: RecommendationService,
  ) {}

  @Mutation(() => Boolean, { description: 'Record a storefront event. A position is kept only with LOCATION consent.' })
  async recordBrowsing(@Arg('input') input: BrowsingInput, @Ctx() context: GatewayContext): Promise<boolean> {
    await this.browsing.record(requireMember(context), input, context.clientAddress);
    return true;
  }

  @Mutation(() => Int, { description: 'Delete browsing history (of one kind, or all); returns how many events were removed.' })
  clearBrowsingHistory(@Arg('kind', () => BrowsingKind, { nullable: true }) kind: BrowsingKind | null, @Ctx() context: GatewayContext): Promise<number> {
    return this.browsing.clear(requireMember(context).memberId, kind);
  }

  @Query(() => [Product], {
    description: 'Personalised from browsing only with PERSONALIZATION consent (and then explained in automatedDecisions); otherwise the same for everyone.',
  })
  recommendations(@Arg('first', () => Int, { nullable: true }) first: number | null, @Ctx() context: GatewayContext): Promise<Product[]> {
    return this.recommender.recommend(context.viewer, pageSize(first, 50, 10));
  }

  @FieldResolver(() => BrowsingConnection, { description: 'Browsing history, newest first.' })
  async browsingHistory(
    @Parent() member: Member,
    @Args() args: BrowsingHistoryArgs,
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<BrowsingConnection> {
    const first = pageSize(args.first, 200);
    const readable = await readableRelation(member, context, DataCategory.BROWSING, 'Member.browsingHistory');
    if (!readable) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    const [owner, cipher] = readable;
    const { events, hasNextPage } = await this.browsing.page(owner, cipher, { first, before: decodeTimeCursor(args.after), kind: args.kind });
    if (selects(info, ['edges', 'node', 'device'])) {
      // The page's devices in one go (one view per device), so each event's device resolves without a promise.
      const ids = [...new Set(events.flatMap((event) => (event.deviceId ? [event.deviceId] : [])))];
      const views = new Map(await Promise.all(ids.map(async (id) => [id, await context.loaders.deviceView(owner, cipher, id)] as const)));
      for (const event of events) event.preloadedDevice = event.deviceId ? (views.get(event.deviceId) ?? null) : null;
    }
    const edges = events.map((node) => ({ cursor: encodeTimeCursor(node.occurredAt!, node.id), node }));
    return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @FieldResolver(() => [Device], { description: 'Devices the member used, most recent first.' })
  async devices(@Parent() member: Member, @Ctx() context: GatewayContext): Promise<Device[]> {
    const readable = await readableRelation(member, context, DataCategory.DEVICE, 'Member.devices');
    return readable ? this.browsing.devicesOf(...readable) : [];
  }

  @FieldResolver(() => [AutomatedDecision], {
    description: 'Decisions made automatically about the member, with their factors; newest first, a page at a time.',
  })
  async automatedDecisions(@Parent() member: Member, @Args() page: ListPageArgs, @Ctx() context: GatewayContext): Promise<AutomatedDecision[]> {
    const readable = await readableRelation(member, context, DataCategory.BROWSING, 'Member.automatedDecisions');
    return readable ? this.recommender.decisionsOf(...readable, page) : [];
  }
}

@Resolver(() => BrowsingEvent)
export class BrowsingEventResolver {
  @FieldResolver(() => Device, { nullable: true, description: 'The device the event came from.' })
  device(@Parent() event: BrowsingEvent, @Ctx() context: GatewayContext): Device | null | Promise<Device | null> {
    if (event.preloadedDevice !== undefined) return event.preloadedDevice;
    return event.deviceId ? this.loadDevice(event, event.deviceId, context) : null;
  }

  private async loadDevice(event: BrowsingEvent, deviceId: string, context: GatewayContext): Promise<Device | null> {
    const [owner, cipher] = await ownerAndCipher(event, context);
    return context.loaders.deviceView(owner, cipher, deviceId);
  }
}
