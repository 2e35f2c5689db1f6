import { ArgsType, Field, ID, Int } from 'type-graphql';

@ArgsType()
export class AuditTrailArgs {
  @Field(() => ID)
  memberId!: string;

  @Field(() => Int, { nullable: true, description: 'Page size (default 20, at most 500).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}
