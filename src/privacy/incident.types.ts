import { ArrayMaxSize, ArrayMinSize, IsISO8601, Length } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsNotBlank } from '../members/member-validators';
import { DataCategory } from '../policy/data-category';

@InputType()
export class IncidentInput {
  @Field({ description: 'What happened.' }) @Length(10, 5000, { message: 'description must be 10-5000 characters long' }) @IsNotBlank() description!: string;
  @Field(() => [DataCategory]) @ArrayMinSize(1, { message: 'categories must name at least one category' }) categories!: DataCategory[];
  @Field({ description: 'ISO 8601.' }) @IsISO8601({ strict: true }, { message: 'occurredAt must be an ISO 8601 date-time' }) occurredAt!: string;
  @Field(() => [ID]) @ArrayMaxSize(100000, { message: 'affectedMemberIds is too long' }) affectedMemberIds!: string[];
  @Field({ description: 'What was done about it.' }) @Length(5, 5000, { message: 'actionsTaken must be 5-5000 characters long' }) actionsTaken!: string;
  @Field({ description: 'What members can do to protect themselves.' })
  @Length(5, 5000, { message: 'memberAdvice must be 5-5000 characters long' })
  memberAdvice!: string;
}

@ObjectType({ description: 'A personal-data breach.', simpleResolvers: true })
export class Incident {
  @Field(() => ID) id!: string;
  @Field() description!: string;
  @Field(() => [DataCategory]) categories!: DataCategory[];
  @Field(() => Date) occurredAt!: Date;
  @Field(() => Date) recordedAt!: Date;
  @Field(() => Date, { description: 'When the regulator must have been told: 72 hours after it occurred.' }) regulatorDeadline!: Date;
  @Field(() => Int, { description: 'Members notified.' }) affectedMembers!: number;
}

@ObjectType({ description: 'A message to the member, such as a breach notice.', simpleResolvers: true })
export class Notification {
  @Field(() => ID) id!: string;
  @Field() kind!: string;
  @Field() title!: string;
  @Field() body!: string;
  @Field(() => Date) createdAt!: Date;
}
