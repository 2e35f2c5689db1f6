import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../common/page-info.types';

export enum ErasureNoticeStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILING = 'FAILING',
}
registerEnumType(ErasureNoticeStatus, {
  name: 'ErasureNoticeStatus',
  description: 'PENDING: not yet delivered, retried with backoff. FAILING: OUTBOX_MAX_ATTEMPTS attempts failed; still retried, every few hours.',
});

@ObjectType({
  description: "Where the notice telling a recipient of a member's data about its erasure stands. Names neither the member nor the orders.",
  simpleResolvers: true,
})
export class ErasureNotice {
  @Field(() => ID, { description: 'Also the Idempotency-Key of every delivery attempt.' }) id!: string;
  @Field({ description: 'The partner told (a carrier, a payment channel), not a person.' }) recipient!: string;
  @Field(() => ErasureNoticeStatus) status!: ErasureNoticeStatus;
  @Field(() => Int, { description: 'Delivery attempts so far.' }) attempts!: number;
  @Field(() => Date, { nullable: true, description: 'When the next attempt is due; null once delivered.' }) nextAttemptAt!: Date | null;
  @Field(() => Date, { nullable: true }) lastAttemptAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why the last failed attempt failed: HTTP_<status>, TIMEOUT, NETWORK or UNKNOWN.' })
  lastErrorCode!: string | null;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType({ simpleResolvers: true })
export class ErasureNoticeEdge {
  @Field() cursor!: string;
  @Field(() => ErasureNotice) node!: ErasureNotice;
}

@ObjectType({ description: 'Erasure notices, oldest first.', simpleResolvers: true })
export class ErasureNoticeConnection {
  @Field(() => [ErasureNoticeEdge]) edges!: ErasureNoticeEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ArgsType()
export class ErasureNoticeArgs {
  @Field(() => ErasureNoticeStatus, { nullable: true, description: 'Only notices in this status; all when omitted.' })
  status?: ErasureNoticeStatus | null;
}
