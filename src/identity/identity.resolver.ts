import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Parent } from '../common/parent.decorator';
import type { AuditService } from '../audit/audit.service';
import { auditWithinMutation } from '../audit/mutation-audit';
import { requireMember } from '../auth/require-member';
import { requireStaff } from '../auth/require-staff';
import { StaffOnly } from '../auth/staff-only.decorator';
import { pageSize } from '../common/cursor';
import type { GatewayContext } from '../context';
import { forbidden } from '../errors';
import { Member } from '../members/member.types';
import { owned, ownerOf, type OwnerRef } from '../policy/owner';
import { IdentityService, type VerificationView } from './identity.service';
import { RealNameChange, RealNameIdentity, Verification } from './identity.types';
import { RealNameInput } from './real-name.input';

@ArgsType()
class ReviewArgs {
  @Field(() => ID)
  id!: string;

  @Field()
  approve!: boolean;

  @Field(() => String, { nullable: true, description: 'Required when rejecting; shown to the member.' })
  reason?: string | null;
}

@Resolver(() => Member)
export class IdentityResolver {
  constructor(
    private readonly identities: IdentityService,
    private readonly audit: AuditService,
  ) {}

  @Mutation(() => RealNameChange, {
    description: 'Submit or edit real-name data. Needs consent REAL_NAME_AUTH and a recent sign-in; every edit voids an earlier verification.',
  })
  submitRealName(@Arg('input') input: RealNameInput, @Ctx() context: GatewayContext, @Info() info: GraphQLResolveInfo): Promise<RealNameChange> {
    // The change and the audit records of what the response shows of it commit together.
    return this.identities.submit(requireMember(context), input, (manager, result) => auditWithinMutation(this.audit, manager, context, info, result));
  }

  @Mutation(() => Verification, { description: 'VERIFIER only: approve or reject a pending verification.' })
  @StaffOnly('VERIFIER')
  async reviewVerification(@Args() { id, approve, reason }: ReviewArgs, @Ctx() context: GatewayContext): Promise<Verification> {
    const decided = await this.identities.review(requireStaff(context, ['VERIFIER']).subject, id, approve, reason);
    return owned(decided, verifierOwner(decided));
  }

  @Query(() => [Verification], { description: 'VERIFIER only: pending verifications, oldest first.' })
  @StaffOnly('VERIFIER')
  async verificationQueue(@Arg('first', () => Int, { nullable: true }) first: number | null, @Ctx() context: GatewayContext): Promise<Verification[]> {
    requireStaff(context, ['VERIFIER']);
    return (await this.identities.queue(pageSize(first, 100))).map((pending) => owned(pending, verifierOwner(pending)));
  }

  @FieldResolver(() => RealNameIdentity, { nullable: true, description: 'Real-name identity, if submitted.' })
  realName(@Parent() member: Member): Promise<RealNameIdentity | null> {
    const owner = ownerOf(member);
    return owner ? this.identities.identityOf(owner) : Promise.resolve(null);
  }
}

@Resolver(() => Verification)
export class VerificationResolver {
  constructor(private readonly identities: IdentityService) {}

  @FieldResolver(() => RealNameIdentity, {
    nullable: true,
    description: 'The identity under review. A VERIFIER sees the full document only while this case is pending; every read is audited.',
  })
  identity(@Parent() verification: VerificationView, @Ctx() { viewer }: GatewayContext): Promise<RealNameIdentity | null> {
    if (viewer.kind === 'MEMBER' && viewer.memberId === verification.memberId) {
      return this.identities.identityOf({ memberId: verification.memberId });
    }
    if (viewer.kind !== 'VERIFIER') throw forbidden('Only the member and verifiers can see the identity of a verification.');
    return this.identities.identityOf(verifierOwner(verification));
  }
}

/** How a VERIFIER reaches a case and its identity: the case is the stated purpose. */
function verifierOwner(verification: VerificationView): OwnerRef {
  // Whether the case is pending (and so the full document readable) is the policy's to find out.
  return { memberId: verification.memberId, purpose: `verification ${verification.id}` };
}
