import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../common/page-info.types';
import { Classified } from '../policy/classified.decorator';
import { DataCategory } from '../policy/data-category';

export enum BrowsingKind {
  PAGE_VIEW = 'PAGE_VIEW',
  SEARCH = 'SEARCH',
  COLLECT = 'COLLECT',
  CART_ADD = 'CART_ADD',
  FOLLOW = 'FOLLOW',
  SHARE = 'SHARE',
}
registerEnumType(BrowsingKind, { name: 'BrowsingKind', description: 'PAGE_VIEW carries a url, SEARCH a query, the others a productId.' });

@ObjectType({ description: 'A device the member used.', simpleResolvers: true })
export class Device {
  @Field(() => ID)
  id!: string;

  @Classified(DataCategory.DEVICE)
  @Field(() => String, { nullable: true })
  deviceIdentifier!: string | null;

  @Classified(DataCategory.DEVICE)
  @Field(() => String, { nullable: true })
  model!: string | null;

  @Classified(DataCategory.DEVICE)
  @Field(() => String, { nullable: true })
  osVersion!: string | null;

  @Classified(DataCategory.DEVICE, 'ip')
  @Field(() => String, { nullable: true })
  ipAddress!: string | null;

  @Classified(DataCategory.LOCATION, 'coordinates')
  @Field(() => String, { nullable: true, description: '"latitude,longitude" or a Wi-Fi/base-station hint; kept only while LOCATION consent is given.' })
  lastLocation!: string | null;

  @Classified(DataCategory.DEVICE)
  @Field(() => Date, { nullable: true })
  lastSeenAt!: Date | null;
}

@ObjectType({ description: 'One storefront event: a page view, a search, or an action on a product.', simpleResolvers: true })
export class BrowsingEvent {
  @Field(() => ID)
  id!: string;

  @Classified(DataCategory.BROWSING)
  @Field(() => BrowsingKind, { nullable: true })
  kind!: BrowsingKind;

  @Classified(DataCategory.BROWSING)
  @Field(() => String, { nullable: true })
  url!: string | null;

  @Classified(DataCategory.BROWSING)
  @Field(() => String, { nullable: true })
  query!: string | null;

  @Classified(DataCategory.BROWSING)
  @Field(() => String, { nullable: true })
  productId!: string | null;

  @Classified(DataCategory.BROWSING)
  @Field(() => Date, { nullable: true })
  occurredAt!: Date | null;

  /** Not a field: the device loader's key. */
  deviceId!: string | null;

  /** Not a field: the device's view, when the history page loaded it with the events (the operation selects `device`). */
  preloadedDevice?: Device | null;
}

@ObjectType({ simpleResolvers: true })
export class BrowsingEdge {
  @Field()
  cursor!: string;

  @Field(() => BrowsingEvent)
  node!: BrowsingEvent;
}

@ObjectType({ description: 'Browsing history, newest first.', simpleResolvers: true })
export class BrowsingConnection {
  @Field(() => [BrowsingEdge])
  edges!: BrowsingEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'A product the storefront recommends.', simpleResolvers: true })
export class Product {
  @Field(() => ID)
  id!: string;

  @Field(() => Float, { description: 'Why it ranks where it does: events counted, weighted.' })
  score!: number;
}

@ObjectType({ simpleResolvers: true })
export class DecisionFactor {
  @Field()
  productId!: string;

  @Field(() => Float)
  events!: number;

  @Field(() => Float)
  weight!: number;
}

@ObjectType({ description: 'A decision made automatically about the member, with the factors behind it.', simpleResolvers: true })
export class AutomatedDecision {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'RECOMMENDATION' })
  kind!: string;

  @Classified(DataCategory.BROWSING)
  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  @Classified(DataCategory.BROWSING)
  @Field(() => [String], { nullable: true, description: 'What was decided: the recommended product ids, in order.' })
  outcome!: string[] | null;

  @Classified(DataCategory.BROWSING)
  @Field(() => [DecisionFactor], { nullable: true, description: 'Which events, with which weights, produced the outcome.' })
  factors!: DecisionFactor[] | null;
}
