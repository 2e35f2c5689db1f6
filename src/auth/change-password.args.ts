import { MaxLength } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';

@ArgsType()
export class ChangePasswordArgs {
  @Field()
  @MaxLength(128, { message: 'currentPassword must be at most 128 characters long' })
  currentPassword!: string;

  @Field({ description: 'Same rules as at registration. Every session ends; sign in again afterwards.' })
  newPassword!: string;
}
