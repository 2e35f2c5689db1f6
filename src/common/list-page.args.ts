import { ArgsType, Field, ID, Int } from 'type-graphql';

export const LIST_DEFAULT_SIZE = 50;
export const LIST_MAX_SIZE = 100;

/**
 * Paging of a plain list field (one that predates connections and stays a list for clients):
 * `first` items, continuing after the item whose id the client passes as `after`.
 */
@ArgsType()
export class ListPageArgs {
  @Field(() => Int, { nullable: true, description: `Page size (default ${LIST_DEFAULT_SIZE}, at most ${LIST_MAX_SIZE}).` })
  first?: number | null;

  @Field(() => ID, { nullable: true, description: 'The id of the last item of the previous page: the list continues after it.' })
  after?: string | null;
}
