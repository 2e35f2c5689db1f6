import { Arg, Args, Ctx, FieldResolver, Query, Resolver } from 'type-graphql';
import { Parent } from '../common/parent.decorator';
import { requireStaff } from '../auth/require-staff';
import { StaffOnly } from '../auth/staff-only.decorator';
import { decodeTimeCursor, encodeTimeCursor, pageSize } from '../common/cursor';
import { PageArgs } from '../common/page.args';
import type { GatewayContext } from '../context';
import { forbidden } from '../errors';
import { Member } from '../members/member.types';
import { type OwnerRef, ownerOf } from '../policy/owner';
import { AuditTrailArgs } from './audit-trail.args';
import { AuditService } from './audit.service';
import { AuditConnection, AuditIntegrity } from './audit.types';

const MAX_PAGE = 500;

@Resolver(() => Member)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @FieldResolver(() => AuditConnection, {
    description: "Who read this member's data, newest first (the member's own reads left out). The member and PRIVACY_OFFICER only.",
  })
  accessLog(@Parent() member: Member, @Args() page: PageArgs, @Ctx() context: GatewayContext): Promise<AuditConnection> {
    const owner = ownerOf(member);
    const self = owner !== undefined && context.privacy.relationshipTo(owner) === 'SELF';
    if (!owner || (!self && context.viewer.kind !== 'PRIVACY_OFFICER')) throw forbidden('Only the member and privacy officers can read the access log.');
    return this.connection(owner, page, self ? owner.memberId : undefined);
  }

  @Query(() => AuditConnection, { description: "PRIVACY_OFFICER only: every audited read of a member's data, newest first." })
  @StaffOnly('PRIVACY_OFFICER')
  auditTrail(@Args() { memberId, ...page }: AuditTrailArgs, @Ctx() context: GatewayContext): Promise<AuditConnection> {
    requireStaff(context, ['PRIVACY_OFFICER']);
    return this.connection({ memberId, purpose: 'AUDIT_REVIEW' }, page);
  }

  @Query(() => AuditIntegrity, {
    description:
      'PRIVACY_OFFICER only: re-computes the hash chain of the audit trail against its signed checkpoints to detect tampering. ' +
      'Incremental by default: from where the last intact check got to, in bounded time (see verifiedThrough).',
  })
  @StaffOnly('PRIVACY_OFFICER')
  async auditIntegrity(
    @Ctx() context: GatewayContext,
    @Arg('full', () => Boolean, {
      nullable: true,
      description: 'Re-compute from the start of the chain (slow on a large trail; `npm run audit:verify` does it offline).',
    })
    full?: boolean | null,
  ): Promise<AuditIntegrity> {
    requireStaff(context, ['PRIVACY_OFFICER']);
    const report = await this.audit.verify({ full: full ?? false });
    return { ...report, verifiedThrough: report.verifiedThrough?.size ?? null };
  }

  private async connection(owner: OwnerRef, page: PageArgs, excludeActorId?: string): Promise<AuditConnection> {
    const first = pageSize(page.first, MAX_PAGE);
    const { entries, hasNextPage } = await this.audit.page(owner, { first, before: decodeTimeCursor(page.after), excludeActorId });
    const edges = entries.map((node) => ({ cursor: encodeTimeCursor(node.at, node.id), node }));
    return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
