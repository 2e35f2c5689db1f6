import { Length } from 'class-validator';
import { Arg, Ctx, Field, InputType, Mutation, Resolver } from 'type-graphql';
import { requireMember } from '../auth/require-member';
import type { GatewayContext } from '../context';
import { MemberService } from '../members/member.service';
import { IsNotBlank } from '../members/member-validators';
import { owned } from '../policy/owner';
import { ConsentPurpose } from './consent-purpose';
import { ConsentService } from './consent.service';
import { Consent } from './consent.types';

@InputType({ description: "The guardian giving consent for a member under the minor age. Sealed with the member's key." })
class GuardianInput {
  @Field() @Length(1, 64, { message: 'guardian.name must be 1-64 characters long' }) @IsNotBlank() name!: string;
  @Field({ description: 'Phone or e-mail.' }) @Length(3, 128, { message: 'guardian.contact must be 3-128 characters long' }) contact!: string;
  @Field({ description: 'e.g. mother, father, legal guardian.' })
  @Length(2, 32, { message: 'guardian.relationship must be 2-32 characters long' })
  relationship!: string;
}

@Resolver()
export class ConsentResolver {
  constructor(
    private readonly consents: ConsentService,
    private readonly members: MemberService,
  ) {}

  @Mutation(() => Consent, { description: 'Agree to a purpose. Members under the minor age need a guardian for every optional purpose.' })
  async grantConsent(
    @Arg('purpose', () => ConsentPurpose) purpose: ConsentPurpose,
    @Arg('guardian', () => GuardianInput, { nullable: true }) guardian: GuardianInput | null,
    @Ctx() context: GatewayContext,
  ): Promise<Consent> {
    const viewer = requireMember(context);
    const { isMinor, birthDate } = this.members.view(viewer.member);
    const consent = await this.consents.grantOne(viewer.memberId, purpose, {
      isMinor: birthDate === null ? null : isMinor,
      channel: context.channel,
      guardian: guardian ? { ...guardian } : null,
    });
    return owned(consent, { memberId: viewer.memberId });
  }

  @Mutation(() => Consent, { description: 'Withdraw a purpose: processing for it stops and data only it needed is deleted at once.' })
  async withdrawConsent(@Arg('purpose', () => ConsentPurpose) purpose: ConsentPurpose, @Ctx() context: GatewayContext): Promise<Consent> {
    const viewer = requireMember(context);
    return owned(await this.consents.withdraw(viewer.memberId, purpose, { channel: context.channel }), { memberId: viewer.memberId });
  }
}
