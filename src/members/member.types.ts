import { Field, ID, ObjectType } from 'type-graphql';
import { Classified } from '../policy/classified.decorator';
import { DataCategory } from '../policy/data-category';

/**
 * A member as clients see it: only what is listed here reaches the schema. Built by
 * MemberService from the decrypted entity, with an owner reference the field guard reads.
 */
@ObjectType({ description: 'A member of the store.', simpleResolvers: true })
export class Member {
  @Field(() => ID)
  id!: string;

  @Classified(DataCategory.ACCOUNT, 'name')
  @Field(() => String, { nullable: true, description: 'Public handle used to sign in.' })
  memberName!: string;

  @Classified(DataCategory.CONTACT, 'phone')
  @Field(() => String, { nullable: true, description: 'Mobile phone in E.164 format.' })
  phone!: string | null;

  @Classified(DataCategory.CONTACT, 'name')
  @Field(() => String, { nullable: true, description: 'Name to use when contacting the member.' })
  contactName!: string | null;

  @Classified(DataCategory.CONTACT, 'address')
  @Field(() => String, { nullable: true, description: 'Contact address.' })
  contactAddress!: string | null;

  @Classified(DataCategory.CONTACT, 'date')
  @Field(() => String, { nullable: true, description: 'Birth date, YYYY-MM-DD.' })
  birthDate!: string | null;

  // Account status (which consent regime applies), needed by support for guardian consents; it
  // says far less than birthDate, whose category would withhold it from staff altogether.
  @Classified(DataCategory.ACCOUNT)
  @Field(() => Boolean, { nullable: true, description: 'True when the member is under the minimum age for consenting alone (14 by default).' })
  isMinor!: boolean;

  @Classified(DataCategory.ACCOUNT, 'date')
  @Field(() => Date, { nullable: true, description: 'When the member registered.' })
  createdAt!: Date;
}
