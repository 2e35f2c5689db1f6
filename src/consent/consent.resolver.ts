import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireMember } from '../auth/require-member';
import type { GatewayContext } from '../context';
import { MemberService } from '../members/member.service';
import { owned } from '../policy/owner';
import { ConsentPurpose } from './consent-purpose';
import { ConsentService } from './consent.service';
import { Consent } from './consent.types';

@Resolver()
export class ConsentResolver {
  constructor(
    private readonly consents: ConsentService,
    private readonly members: MemberService,
  ) {}

  @Mutation(() => Consent, { description: 'Agree to an optional purpose.' })
  async grantConsent(@Arg('purpose', () => ConsentPurpose) purpose: ConsentPurpose, @Ctx() context: GatewayContext): Promise<Consent> {
    const viewer = requireMember(context);
    const { isMinor } = this.members.view(viewer.member);
    return owned(await this.consents.grantOne(viewer.memberId, purpose, isMinor), { memberId: viewer.memberId, relationship: 'SELF', isMinor });
  }

  @Mutation(() => Consent, { description: 'Withdraw a purpose: processing for it stops and data only it needed is deleted at once.' })
  async withdrawConsent(@Arg('purpose', () => ConsentPurpose) purpose: ConsentPurpose, @Ctx() context: GatewayContext): Promise<Consent> {
    const viewer = requireMember(context);
    const { isMinor } = this.members.view(viewer.member);
    return owned(await this.consents.withdraw(viewer.memberId, purpose), { memberId: viewer.memberId, relationship: 'SELF', isMinor });
  }
}
