import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Parent } from '../common/parent.decorator';
import { ListPageArgs } from '../common/list-page.args';
import { requireMember } from '../auth/require-member';
import { requireStaff } from '../auth/require-staff';
import { StaffOnly } from '../auth/staff-only.decorator';
import { AuthService } from '../auth/auth.service';
import { SessionService } from '../auth/session.service';
import type { GatewayContext } from '../context';
import { Member } from '../members/member.types';
import { ownerOf } from '../policy/owner';
import { PrivacyRequestService } from './privacy-request.service';
import { PrivacyRequest, PrivacyRequestInput, PrivacyRequestOutcome, PrivacyRequestStatus, RefusalGround } from './privacy-request.types';

@ArgsType()
class ResolveArgs {
  @Field(() => ID) id!: string;
  @Field(() => PrivacyRequestOutcome) outcome!: PrivacyRequestOutcome;
  @Field(() => RefusalGround, { nullable: true, description: 'Required to refuse.' }) reason?: RefusalGround | null;
  @Field(() => String, { nullable: true, description: 'Required to extend: why more time is needed.' }) note?: string | null;
}

@ArgsType()
class QueueArgs {
  @Field(() => PrivacyRequestStatus, { nullable: true }) status?: PrivacyRequestStatus | null;
  @Field(() => Boolean, { nullable: true, description: 'Only open requests past their due date.' }) overdue?: boolean | null;
}

@Resolver()
export class PrivacyRequestResolver {
  constructor(
    private readonly requests: PrivacyRequestService,
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
  ) {}

  @Mutation(() => Boolean, { description: 'Cancel the account: sign-in stops at once, personal data is erased or anonymised, and the data key is destroyed.' })
  async cancelAccount(@Arg('password') password: string, @Ctx() context: GatewayContext): Promise<boolean> {
    const viewer = requireMember(context);
    await this.auth.confirmPassword(viewer, password, context.clientAddress);
    await this.requests.cancelAccount(viewer.memberId, (manager) => this.sessions.revokeAllFor(viewer.memberId, 'ACCOUNT_CANCELLED', manager));
    return true;
  }

  @Mutation(() => PrivacyRequest, {
    description: 'Ask for deletion, correction, an explanation of an automated decision, access or restriction. Answered within 15 days.',
  })
  requestPrivacy(@Arg('input') input: PrivacyRequestInput, @Ctx() context: GatewayContext): Promise<PrivacyRequest> {
    const viewer = requireMember(context);
    return this.requests.submit({ memberId: viewer.memberId }, input.type, input.details);
  }

  @Mutation(() => PrivacyRequest, {
    description: 'PRIVACY_OFFICER only: move a request on, complete it (a DELETION erases), refuse it on a policy ground, or extend it once.',
  })
  @StaffOnly('PRIVACY_OFFICER')
  resolvePrivacyRequest(@Args() { id, outcome, reason, note }: ResolveArgs, @Ctx() context: GatewayContext): Promise<PrivacyRequest> {
    return this.requests.resolve(requireStaff(context, ['PRIVACY_OFFICER']).subject, id, outcome, reason, note);
  }

  @Mutation(() => Boolean, { description: "PRIVACY_OFFICER only: keep a member's data (no erasure) until the hold is lifted." })
  @StaffOnly('PRIVACY_OFFICER')
  async setLegalHold(@Arg('memberId', () => ID) memberId: string, @Arg('reason') reason: string, @Ctx() context: GatewayContext): Promise<boolean> {
    requireStaff(context, ['PRIVACY_OFFICER']);
    await this.requests.setLegalHold(memberId, reason);
    return true;
  }

  @Mutation(() => Boolean, { description: 'PRIVACY_OFFICER only: lift a legal hold; an erasure it postponed happens now.' })
  @StaffOnly('PRIVACY_OFFICER')
  async liftLegalHold(@Arg('memberId', () => ID) memberId: string, @Ctx() context: GatewayContext): Promise<boolean> {
    requireStaff(context, ['PRIVACY_OFFICER']);
    await this.requests.liftLegalHold(memberId);
    return true;
  }

  @Query(() => [PrivacyRequest], { description: 'Staff (SUPPORT, PRIVACY_OFFICER): the queue of privacy requests, soonest due first.' })
  @StaffOnly('SUPPORT', 'PRIVACY_OFFICER')
  privacyRequests(@Args() { status, overdue }: QueueArgs, @Args() page: ListPageArgs, @Ctx() context: GatewayContext): Promise<PrivacyRequest[]> {
    requireStaff(context, ['SUPPORT', 'PRIVACY_OFFICER']);
    return this.requests.queue(status, overdue, page);
  }
}

@Resolver(() => Member)
export class MemberPrivacyRequestsResolver {
  constructor(private readonly requests: PrivacyRequestService) {}

  @FieldResolver(() => [PrivacyRequest], { description: "The member's privacy requests and their answers, newest first, a page at a time." })
  privacyRequests(@Parent() member: Member, @Args() page: ListPageArgs): Promise<PrivacyRequest[]> {
    const owner = ownerOf(member);
    return owner ? this.requests.of(owner, page) : Promise.resolve([]);
  }
}
