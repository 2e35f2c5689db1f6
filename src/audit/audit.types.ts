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

@ObjectType({ description: 'Result of re-computing the audit hash chain.', simpleResolvers: true })
export class AuditIntegrity {
  @Field({ description: 'False when any entry was changed, removed or inserted after the fact.' })
  intact!: boolean;

  @Field(() => Int)
  checkedEntries!: number;

  @Field(() => Int, { nullable: true, description: 'The first entry whose hash does not match.' })
  firstBrokenEntry!: number | null;
}
