import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Classified } from '../policy/classified.decorator';
import { DataCategory } from '../policy/data-category';

export enum PrivacyRequestType {
  DELETION = 'DELETION',
  CORRECTION = 'CORRECTION',
  DECISION_EXPLANATION = 'DECISION_EXPLANATION',
  ACCESS = 'ACCESS',
  RESTRICTION = 'RESTRICTION',
}
registerEnumType(PrivacyRequestType, { name: 'PrivacyRequestType' });

export enum PrivacyRequestStatus {
  RECEIVED = 'RECEIVED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  REFUSED = 'REFUSED',
}
registerEnumType(PrivacyRequestStatus, { name: 'PrivacyRequestStatus' });

export enum PrivacyRequestOutcome {
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  REFUSED = 'REFUSED',
  EXTENDED = 'EXTENDED',
}
registerEnumType(PrivacyRequestOutcome, {
  name: 'PrivacyRequestOutcome',
  description: 'EXTENDED moves the due date by 15 days once, and needs a note saying why.',
});

/** The grounds on which the published policy allows refusing a request. */
export enum RefusalGround {
  NATIONAL_SECURITY = 'NATIONAL_SECURITY',
  PUBLIC_SAFETY_OR_INTEREST = 'PUBLIC_SAFETY_OR_INTEREST',
  CRIMINAL_INVESTIGATION = 'CRIMINAL_INVESTIGATION',
  MALICE_OR_ABUSE = 'MALICE_OR_ABUSE',
  SERIOUS_HARM_TO_OTHERS = 'SERIOUS_HARM_TO_OTHERS',
  TRADE_SECRETS = 'TRADE_SECRETS',
  VIOLATION_OF_AGREEMENT = 'VIOLATION_OF_AGREEMENT',
}
registerEnumType(RefusalGround, { name: 'RefusalGround' });

@ObjectType({ description: 'A request to exercise a privacy right, answered within 15 days.', simpleResolvers: true })
export class PrivacyRequest {
  @Field(() => ID) id!: string;
  @Field(() => PrivacyRequestType) type!: PrivacyRequestType;
  @Classified(DataCategory.ACCOUNT) @Field(() => String, { nullable: true, description: "The member's own words." }) details!: string | null;
  @Field(() => PrivacyRequestStatus) status!: PrivacyRequestStatus;
  @Field(() => Date) receivedAt!: Date;
  @Field(() => Date) dueAt!: Date;
  @Field(() => Date, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => RefusalGround, { nullable: true, description: 'Why it was refused; shown to the member.' }) refusalGround!: RefusalGround | null;
  @Classified(DataCategory.ACCOUNT)
  @Field(() => String, { nullable: true, description: 'Why the due date was extended (free text about this request).' })
  extensionReason!: string | null;
  @Field({ description: 'Past its due date and not yet answered.' }) overdue!: boolean;
}

@InputType()
export class PrivacyRequestInput {
  @Field(() => PrivacyRequestType) type!: PrivacyRequestType;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000, { message: 'details must be at most 2000 characters long' })
  details?: string | null;
}
