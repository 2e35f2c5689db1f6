import { Field, ObjectType } from 'type-graphql';
import { Classified } from '../policy/classified.decorator';
import { DataCategory } from '../policy/data-category';
import { ConsentPurpose } from './consent-purpose';

/** Which purposes a member agreed to says things about them (biometrics, a guardian): it is account data. */
@ObjectType({ description: "The current state of one purpose in a member's consent ledger.", simpleResolvers: true })
export class Consent {
  @Field(() => ConsentPurpose)
  purpose!: ConsentPurpose;

  @Classified(DataCategory.ACCOUNT)
  @Field(() => Boolean, { nullable: true, description: 'Whether processing for this purpose is currently allowed.' })
  granted!: boolean;

  @Classified(DataCategory.ACCOUNT)
  @Field(() => String, { nullable: true, description: 'How the latest decision was given: EXPLICIT, GUARDIAN or GLOBAL_PRIVACY_CONTROL.' })
  method!: string | null;

  @Classified(DataCategory.ACCOUNT)
  @Field(() => String, { nullable: true, description: 'Where the latest decision was made: storefront, mobile, graphiql or api.' })
  channel!: string | null;

  @Classified(DataCategory.ACCOUNT)
  @Field(() => Date, { nullable: true, description: 'When the latest decision was recorded; null if the member never decided.' })
  changedAt!: Date | null;
}
