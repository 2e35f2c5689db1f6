import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../common/page-info.types';
import { Classified } from '../policy/classified.decorator';
import { DataCategory } from '../policy/data-category';

@ObjectType({ description: "One audited read of a member's personal data.", simpleResolvers: true })
export class AuditEntry {
  @Field(() => ID)
  id!: string;

  @Classified(DataCategory.ACCOUNT)
  @Field(() => Date, { nullable: true })
  at!: Date;

  @Classified(DataCategory.ACCOUNT)
  @Field(() => String, { nullable: true, description: 'MEMBER, SUPPORT, VERIFIER, PRIVACY_OFFICER, LOGISTICS_PARTNER or ANONYMOUS.' })
  actorKind!: string;

  @Classified(DataCategory.ACCOUNT)
  @Field(() => String, { nullable: true, description: "The reader's id at the identity provider, or the member's id." })
  actorId!: string | null;

  @Classified(DataCategory.ACCOUNT)
  @Field(() => String, { nullable: true, description: 'The field read, as Type.field.' })
  field!: string;

  @Classified(DataCategory.ACCOUNT)
  @Field(() => DataCategory, { nullable: true })
  category!: DataCategory;

  @Classified(DataCategory.ACCOUNT)
  @Field(() => String, { nullable: true, description: 'ALLOW, MASK or DENY.' })
  outcome!: string;

  @Classified(DataCategory.ACCOUNT)
  @Field(() => String, { nullable: true, description: 'The purpose the reader stated.' })
  purpose!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class AuditEdge {
  @Field()
  cursor!: string;

  @Field(() => AuditEntry)
  node!: AuditEntry;
}

@ObjectType({ description: 'Audited reads, newest first.', simpleResolvers: true })
export class AuditConnection {
  @Field(() => [AuditEdge])
  edges!: AuditEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'Result of re-computing the audit hash chain against its signed checkpoints.', simpleResolvers: true })
export class AuditIntegrity {
  @Field({ description: 'False when any checked entry was changed, removed or reordered after it was sequenced, or checkpoints were.' })
  intact!: boolean;

  @Field(() => Int, { description: 'Entries whose hash this check re-computed.' })
  checkedEntries!: number;

  @Field(() => Int, { nullable: true, description: 'The first entry (position in the chain) the chain or the checkpoints no longer vouch for.' })
  firstBrokenEntry!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'What broke: DELETED, EDITED, REORDERED, TRUNCATED, CHECKPOINT_MISMATCH, BAD_CHECKPOINT or ROLLED_BACK; null when intact.',
  })
  problem!: string | null;

  @Field(() => Int, { nullable: true, description: 'Entries sequenced as of the latest signed checkpoint; null before the first.' })
  checkpointSize!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The chain is known intact up to this entry (this check or earlier ones); below checkpointSize, the next check continues.',
  })
  verifiedThrough!: number | null;

  @Field(() => Int, { description: 'Entries written longer ago than the sequencer needs, still not sequenced (0 while it keeps up).' })
  unsequencedBacklog!: number;
}
