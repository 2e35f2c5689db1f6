import { ArrayUnique, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IsAcceptablePassword } from '../auth/password-policy';
import { ConsentPurpose } from '../consent/consent-purpose';
import { IsMemberName, IsMemberPhone, IsNotBlank, IsPastBirthDate } from './member-validators';

@InputType({ description: 'What a new member gives to join. Only ACCOUNT and CONTACT data are required.' })
export class RegisterInput {
  @Field({ description: '3-32 lower-case letters, digits or underscores; not only digits.' })
  @IsMemberName()
  memberName!: string;

  @Field({ description: 'At least 10 characters from three of: lower case, upper case, digits, symbols; must not contain the member name.' })
  @IsAcceptablePassword('memberName')
  password!: string;

  @Field({ description: 'E.164 (+8613800138000), or a Chinese mainland mobile without +86.' })
  @IsMemberPhone()
  phone!: string;

  @Field()
  @Length(1, 64, { message: 'contactName must be 1-64 characters long' })
  @IsNotBlank()
  contactName!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(256, { message: 'contactAddress must be at most 256 characters long' })
  contactAddress?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, in the past.' })
  @IsOptional()
  @IsPastBirthDate()
  birthDate?: string | null;

  @Field(() => [ConsentPurpose], { nullable: true, description: 'Optional purposes the member agrees to. MEMBERSHIP is implied (listing it is allowed).' })
  @IsOptional()
  @ArrayUnique({ message: 'consents must not repeat a purpose' })
  consents?: ConsentPurpose[] | null;
}
