import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AuthPayload } from '../auth/auth-payload.types';
import { signedIn } from '../auth/signed-in';
import { AuthService } from '../auth/auth.service';
import { requireStaff } from '../auth/require-staff';
import { StaffOnly } from '../auth/staff-only.decorator';
import { requireMember } from '../auth/require-member';
import { ConsentService } from '../consent/consent.service';
import { Consent } from '../consent/consent.types';
import type { GatewayContext } from '../context';
import { PublicField } from '../policy/classified.decorator';
import { owned, ownerOf } from '../policy/owner';
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
  me(@Ctx() { viewer }: GatewayContext): Member | null {
    return viewer.kind === 'MEMBER' ? this.members.view(viewer.member) : null;
  }

  @Query(() => Member, { nullable: true, description: 'Staff only (SUPPORT, VERIFIER, PRIVACY_OFFICER): a member by id. The purpose is recorded with every field read.' })
  @StaffOnly('SUPPORT', 'VERIFIER', 'PRIVACY_OFFICER')
  member(@Args() { id, purpose }: StaffLookupArgs, @Ctx() context: GatewayContext): Promise<Member> {
    requireStaff(context, ['SUPPORT', 'VERIFIER', 'PRIVACY_OFFICER']);
    return this.members.forStaff(id, purpose);
  }

  @Mutation(() => AuthPayload, { description: 'Join the store and sign in.' })
  async register(@Arg('input') input: RegisterInput, @Ctx() context: GatewayContext): Promise<AuthPayload> {
    await this.auth.beginRegistration(context.clientAddress);
    const { member, grant } = await this.members.register(input, context.channel);
    return signedIn(context, this.auth.issue(member, grant));
  }

  @Mutation(() => Member, { description: "Correct the signed-in member's profile." })
  updateProfile(@Arg('input') input: ProfileInput, @Ctx() context: GatewayContext): Promise<Member> {
    return this.members.updateProfile(requireMember(context), input);
  }

  @PublicField()
  @FieldResolver(() => [Consent], { description: 'Current state of every consent purpose.' })
  async consents(@Root() member: Member): Promise<Consent[]> {
    const owner = ownerOf(member);
    return owner ? (await this.consentLedger.current(member.id)).map((consent) => owned(consent, owner)) : [];
  }
}
