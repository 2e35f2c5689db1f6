import { IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IsMemberPhone, IsNotBlank, IsPastBirthDate } from './member-validators';

@InputType({ description: 'Corrections to a profile. Omitted fields stay; a null contactAddress or birthDate clears it.' })
export class ProfileInput {
  @IsOptional()
  @Field(() => String, { nullable: true, description: 'Changing the phone needs a recent sign-in (stepUp).' })
  @IsMemberPhone()
  phone?: string | null;

  @IsOptional()
  @Field(() => String, { nullable: true })
  @Length(1, 64, { message: 'contactName must be 1-64 characters long' })
  @IsNotBlank()
  contactName?: string | null;

  @IsOptional()
  @Field(() => String, { nullable: true })
  @MaxLength(256, { message: 'contactAddress must be at most 256 characters long' })
  contactAddress?: string | null;

  @IsOptional()
  @Field(() => String, { nullable: true })
  @IsPastBirthDate()
  birthDate?: string | null;
}
