import { Field, ID, ObjectType } from 'type-graphql';

/**
 * A member as clients see it: only what is listed here reaches the schema. Built by
 * MemberService from the decrypted entity; never the entity itself.
 */
@ObjectType({ description: 'A member of the store.' })
export class Member {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Public handle used to sign in.' })
  memberName!: string;

  @Field(() => String, { nullable: true, description: 'Mobile phone in E.164 format.' })
  phone!: string | null;

  @Field(() => String, { nullable: true, description: 'Name to use when contacting the member.' })
  contactName!: string | null;

  @Field(() => String, { nullable: true, description: 'Contact address.' })
  contactAddress!: string | null;

  @Field(() => String, { nullable: true, description: 'Birth date, YYYY-MM-DD.' })
  birthDate!: string | null;

  @Field({ description: 'True when the member is under the minimum age for consenting alone (14 by default).' })
  isMinor!: boolean;

  @Field(() => Date)
  createdAt!: Date;
}
