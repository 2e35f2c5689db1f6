import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Parent } from '../common/parent.decorator';
import { AuthPayload } from '../auth/auth-payload.types';
import { signedIn } from '../auth/signed-in';
import { AuthService } from '../auth/auth.service';
import { requireStaff } from '../auth/require-staff';
import { StaffOnly } from '../auth/staff-only.decorator';
import { requireMember } from '../auth/require-member';
import { tokenRejected } from '../auth/token-rejected';
import { ConsentService } from '../consent/consent.service';
import { Consent } from '../consent/consent.types';
import type { GatewayContext } from '../context';
import { badUserInput } from '../errors';
import { DataCategory } from '../policy/data-category';
import { owned, ownerOf } from '../policy/owner';
import { BIRTH_DATE_RULE, isPastBirthDate } from './member-validators';
import { MemberService } from './member.service';
import { Member } from './member.types';
import { ProfileInput } from './profile.input';
import { RegisterInput } from './register.input';
import { StaffLookupArgs } from './staff-lookup.args';

@Resolver(() => Member)
export class MemberResolver {
  constructor(
    private readonly members: MemberService,
    private readonly auth: AuthService,
    private readonly consentLedger: ConsentService,
  ) {}

  @Query(() => Member, { nullable: true, description: 'The signed-in member; null when anonymous or signed in as staff.' })
  me(@Ctx() { viewer, loaders }: GatewayContext): Member | null {
    // A refused token is not "anonymous": the client must learn to refresh or sign in again.
    if (viewer.kind === 'ANONYMOUS' && viewer.rejectedToken) throw tokenRejected(viewer.rejectedToken);
    return viewer.kind === 'MEMBER' ? loaders.signedInMember! : null;
  }

  @Query(() => Member, {
    nullable: true,
    description: 'Staff only (SUPPORT, VERIFIER, PRIVACY_OFFICER): a member by id. The purpose is recorded with every field read.',
  })
  @StaffOnly('SUPPORT', 'VERIFIER', 'PRIVACY_OFFICER')
  async member(@Args() { id, purpose }: StaffLookupArgs, @Ctx() context: GatewayContext): Promise<Member> {
    requireStaff(context, ['SUPPORT', 'VERIFIER', 'PRIVACY_OFFICER']);
    const { member, record } = await this.members.forStaff(id, purpose);
    context.privacy.knowOwner(id, record);
    return member;
  }

  @Mutation(() => Member, {
    description:
      "PRIVACY_OFFICER only: correct a member's birth date (e.g. on a guardian's or a document's evidence). Audited with the reason; consents that now need a guardian are withdrawn.",
  })
  @StaffOnly('PRIVACY_OFFICER')
  async correctBirthDate(
    @Arg('memberId', () => ID) memberId: string,
    @Arg('birthDate', () => String) birthDate: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() context: GatewayContext,
  ): Promise<Member> {
    requireStaff(context, ['PRIVACY_OFFICER']);
    // Validated after the caller check: nobody else learns what this mutation accepts.
    if (!isPastBirthDate(birthDate)) throw badUserInput('birthDate', BIRTH_DATE_RULE);
    if (reason.trim().length < 3 || reason.length > 200) throw badUserInput('reason', 'reason must be 3-200 characters long');
    const purpose = `birth date correction: ${reason.trim()}`;
    const { member, record } = await this.members.correctBirthDate(memberId, birthDate, purpose, context.channel);
    context.privacy.knowOwner(memberId, () => record);
    const owner = ownerOf(member)!;
    context.privacy.record('Mutation.correctBirthDate', DataCategory.CONTACT, owner, { outcome: 'ALLOW' });
    return member;
  }

  @Mutation(() => AuthPayload, { description: 'Join the store and sign in.' })
  async register(@Arg('input') input: RegisterInput, @Ctx() context: GatewayContext): Promise<AuthPayload> {
    await this.auth.beginRegistration(context.clientAddress);
    const { member, grant } = await this.members.register(input, context.channel);
    return signedIn(context, this.auth.issue(member, grant));
  }

  @Mutation(() => Member, { description: "Correct the signed-in member's profile." })
  async updateProfile(@Arg('input') input: ProfileInput, @Ctx() context: GatewayContext): Promise<Member> {
    const viewer = requireMember(context);
    const member = await this.members.updateProfile(viewer, input, context.channel);
    // The answer is read with the birth date just saved, not the one the request started with.
    context.privacy.knowOwner(viewer.memberId, () => ({ birthDate: member.birthDate }));
    return member;
  }

  @FieldResolver(() => [Consent], { description: 'Current state of every consent purpose.' })
  async consents(@Parent() member: Member): Promise<Consent[]> {
    const owner = ownerOf(member);
    return owner ? (await this.consentLedger.current(member.id)).map((consent) => owned(consent, owner)) : [];
  }
}
