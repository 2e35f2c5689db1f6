import { Length } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { IsNotBlank } from './member-validators';

@ArgsType()
export class StaffLookupArgs {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Why this member is being looked at (e.g. a ticket reference); audited.' })
  @Length(3, 200, { message: 'purpose must be 3-200 characters long' })
  @IsNotBlank()
  purpose!: string;
}
