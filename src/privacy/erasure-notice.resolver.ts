import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { requireStaff } from '../auth/require-staff';
import { StaffOnly } from '../auth/staff-only.decorator';
import { decodeTimeCursor, encodeTimeCursor, pageSize } from '../common/cursor';
import { PageArgs } from '../common/page.args';
import type { GatewayContext } from '../context';
import { ErasureNoticeService } from './erasure-notice.service';
import { ErasureNoticeArgs, ErasureNoticeConnection } from './erasure-notice.types';

const MAX_PAGE = 500;

@Resolver()
export class ErasureNoticeResolver {
  constructor(private readonly notices: ErasureNoticeService) {}

  @Query(() => ErasureNoticeConnection, {
    description:
      'PRIVACY_OFFICER only: the erasure-notice outbox by status (FAILING: recipients not reached after OUTBOX_MAX_ATTEMPTS attempts), oldest first.',
  })
  @StaffOnly('PRIVACY_OFFICER')
  async erasureNotices(@Args() { status }: ErasureNoticeArgs, @Args() page: PageArgs, @Ctx() context: GatewayContext): Promise<ErasureNoticeConnection> {
    requireStaff(context, ['PRIVACY_OFFICER']);
    const after = decodeTimeCursor(page.after);
    const { notices, hasNextPage } = await this.notices.list(status, { first: pageSize(page.first, MAX_PAGE), ...(after ? { after } : {}) });
    const edges = notices.map((node) => ({ cursor: encodeTimeCursor(node.createdAt, node.id), node }));
    return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
