import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where a page of a connection ends.', simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}
