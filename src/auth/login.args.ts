import { MaxLength } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';

@ArgsType()
export class LoginArgs {
  @Field({ description: 'Member name, or phone (E.164 or a Chinese mainland mobile).' })
  @MaxLength(64, { message: 'identifier must be at most 64 characters long' })
  identifier!: string;

  @Field()
  @MaxLength(128, { message: 'password must be at most 128 characters long' })
  password!: string;
}
