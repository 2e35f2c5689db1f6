import { Field, ObjectType } from 'type-graphql';
import { ConsentPurpose } from './consent-purpose';

@ObjectType({ description: "The current state of one purpose in a member's consent ledger.", simpleResolvers: true })
export class Consent {
  @Field(() => ConsentPurpose)
  purpose!: ConsentPurpose;

  @Field({ description: 'Whether processing for this purpose is currently allowed.' })
  granted!: boolean;

  @Field(() => String, { nullable: true, description: 'How the latest decision was given: EXPLICIT, GUARDIAN or GLOBAL_PRIVACY_CONTROL.' })
  method!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the latest decision was recorded; null if the member never decided.' })
  changedAt!: Date | null;
}
