import { Arg, Ctx, FieldResolver, Info, Mutation, Query, Resolver } from 'type-graphql';
import { Parent } from '../common/parent.decorator';
import type { GraphQLResolveInfo } from 'graphql';
import { requireMember } from '../auth/require-member';
import { requireStaff } from '../auth/require-staff';
import { StaffOnly } from '../auth/staff-only.decorator';
import type { GatewayContext } from '../context';
import { MemberService } from '../members/member.service';
import { Member } from '../members/member.types';
import { Classified } from '../policy/classified.decorator';
import { DataCategory } from '../policy/data-category';
import { PolicyVersionService } from './policy-version.service';
import { DataExportService } from './data-export.service';
import { DataExport } from './data-export.types';
import { PrivacyPolicy, PrivacyPolicyInput, ProcessingRecord } from './privacy-policy.types';
import { processingRecords } from './processing-records';

@Resolver(() => Member)
export class PrivacyPolicyResolver {
  constructor(
    private readonly policies: PolicyVersionService,
    private readonly members: MemberService,
    private readonly exports: DataExportService,
    private readonly settings: { stepUpMaxAgeSeconds: number },
  ) {}

  @Mutation(() => DataExport, {
    description:
      'A machine-readable copy of everything held about the member, bounded by section (see `more` in the document). Needs a recent sign-in; the export is audited.',
  })
  async exportMyData(
    @Arg('section', () => String, { nullable: true, description: 'Only this list section (to fetch the rest of one named in `more`).' }) section: string | null,
    @Arg('after', () => String, { nullable: true, description: 'The cursor `more` gave for the section.' }) after: string | null,
    @Ctx() context: GatewayContext,
  ): Promise<DataExport> {
    const viewer = requireMember(context);
    const exported = await this.exports.export(viewer, { section, after });
    const owner = { memberId: viewer.memberId, purpose: 'DATA_EXPORT' };
    for (const category of Object.values(DataCategory)) context.privacy.record('Mutation.exportMyData', category, owner, { outcome: 'ALLOW' });
    return exported;
  }

  @Query(() => PrivacyPolicy, { nullable: true, description: 'A version of the privacy policy; the latest when none is named.' })
  privacyPolicy(@Arg('version', () => String, { nullable: true }) version: string | null): Promise<PrivacyPolicy | null> {
    return this.policies.get(version);
  }

  @Query(() => [PrivacyPolicy], { description: 'Every published version, newest first.' })
  privacyPolicies(): Promise<PrivacyPolicy[]> {
    return this.policies.list();
  }

  @Query(() => [ProcessingRecord], { description: 'PRIVACY_OFFICER only: records of processing, generated from the classification and the policy table.' })
  @StaffOnly('PRIVACY_OFFICER')
  processingRecords(@Ctx() context: GatewayContext, @Info() info: GraphQLResolveInfo): ProcessingRecord[] {
    requireStaff(context, ['PRIVACY_OFFICER']);
    return processingRecords(info.schema, this.settings.stepUpMaxAgeSeconds);
  }

  @Mutation(() => PrivacyPolicy, { description: 'PRIVACY_OFFICER only: publish a new version. A material one asks members to accept it.' })
  @StaffOnly('PRIVACY_OFFICER')
  publishPrivacyPolicy(@Arg('input') input: PrivacyPolicyInput, @Ctx() context: GatewayContext): Promise<PrivacyPolicy> {
    return this.policies.publish(requireStaff(context, ['PRIVACY_OFFICER']).subject, input);
  }

  @Mutation(() => Member, { description: 'Accept a policy version (the one in mustAcceptPolicyVersion, or a later one).' })
  async acceptPrivacyPolicy(@Arg('version') version: string, @Ctx() context: GatewayContext): Promise<Member> {
    const viewer = requireMember(context);
    await this.policies.accept(viewer.memberId, version);
    return this.members.view(viewer.member);
  }

  @Classified(DataCategory.ACCOUNT)
  @FieldResolver(() => String, {
    nullable: true,
    description: 'A material policy version the member has not accepted yet; until they do, most mutations answer POLICY_ACCEPTANCE_REQUIRED.',
  })
  mustAcceptPolicyVersion(@Parent() member: Member): Promise<string | null> {
    return this.policies.mustAccept(member.id);
  }
}
