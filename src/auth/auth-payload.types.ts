import { Field, Int, ObjectType } from 'type-graphql';
import { Member } from '../members/member.types';

@ObjectType({ description: 'Tokens for a signed-in member.', simpleResolvers: true })
export class AuthPayload {
  @Field({ description: 'Bearer token for the Authorization header (JWT).' })
  accessToken!: string;

  @Field({ description: 'Opaque; exchange with refreshToken before it is used again. Single use.' })
  refreshToken!: string;

  @Field(() => Int, { description: 'Seconds until accessToken expires.' })
  expiresIn!: number;

  @Field(() => Date, {
    nullable: true,
    description:
      'Until when this sign-in counts as recent: sensitive values that need a recent sign-in are shown in full until then, masked after. Null for a biometric sign-in, which never counts. Clients key cached sensitive values on it.',
  })
  recentAuthUntil!: Date | null;

  @Field(() => Member)
  member!: Member;

  /** Not in the schema: who just signed in, so the rest of this response is read as them. */
  signedIn!: { memberId: string; authTime: number; amr: string[] };
}
