import { Arg, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { Classified } from '../../src/policy/classified.decorator';
import { DataCategory } from '../../src/policy/data-category';
import { owned } from '../../src/policy/owner';

/**
 * Test-only: one field of every data category, so the API tests can walk every viewer × category
 * cell of the real policy over HTTP before every category has its real fields. The guard, the
 * decision table, masking and the audit trail are the gateway's own; only these values are fixed.
 */
@ObjectType({ simpleResolvers: true })
export class PolicyProbe {
  @Classified(DataCategory.ACCOUNT, 'name') @Field(() => String, { nullable: true }) account = 'member_probe';
  @Classified(DataCategory.CONTACT, 'phone') @Field(() => String, { nullable: true }) contact = '+8613812345678';
  @Classified(DataCategory.GOVERNMENT_ID, 'idNumber') @Field(() => String, { nullable: true }) governmentId = '44030519900101123X';
  @Classified(DataCategory.BIOMETRIC) @Field(() => String, { nullable: true }) biometric = 'template-0.12,0.98,0.33';
  @Classified(DataCategory.FINANCIAL, 'card') @Field(() => String, { nullable: true }) financial = '6222021234567890123';
  @Classified(DataCategory.TRANSACTION, 'name') @Field(() => String, { nullable: true }) transaction = 'Wang Xiaoming';
  @Classified(DataCategory.LOCATION, 'coordinates') @Field(() => String, { nullable: true }) location = '22.543096,114.057865';
  @Classified(DataCategory.DEVICE, 'ip') @Field(() => String, { nullable: true }) device = '203.0.113.7';
  @Classified(DataCategory.BROWSING) @Field(() => String, { nullable: true }) browsing = 'running shoes';
}

export const PROBE_VALUES = new PolicyProbe();

@Resolver()
export class PolicyProbeResolver {
  @Query(() => PolicyProbe)
  policyProbe(
    @Arg('memberId', () => ID) memberId: string,
    @Arg('purpose', () => String, { nullable: true }) purpose: string | null,
    @Arg('shipmentPartnerId', () => String, { nullable: true }) shipmentPartnerId: string | null,
  ): PolicyProbe {
    // Like the real producers: whose data, the staff's stated purpose, a shipment's partner. The
    // relationship, minor status and pending verification are the policy's to derive.
    return owned(new PolicyProbe(), { memberId, purpose: purpose ?? undefined, partnerId: shipmentPartnerId ?? undefined });
  }
}

export const policyProbe = { resolver: PolicyProbeResolver, create: () => new PolicyProbeResolver() };
