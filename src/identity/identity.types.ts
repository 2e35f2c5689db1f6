import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Classified } from '../policy/classified.decorator';
import { DataCategory } from '../policy/data-category';

export enum DocumentType {
  ID_CARD = 'ID_CARD',
  PASSPORT = 'PASSPORT',
  HOUSEHOLD_REGISTER = 'HOUSEHOLD_REGISTER',
}
registerEnumType(DocumentType, { name: 'DocumentType', description: 'ID_CARD: PRC resident ID (18 characters, GB 11643 check digit).' });

export enum VerificationStatus {
  PENDING = 'PENDING',
  VERIFIED = 'VERIFIED',
  REJECTED = 'REJECTED',
}
registerEnumType(VerificationStatus, { name: 'VerificationStatus', description: 'Where a real-name identity stands. Any edit returns it to PENDING.' });

export enum VerificationCaseStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  SUPERSEDED = 'SUPERSEDED',
}
registerEnumType(VerificationCaseStatus, {
  name: 'VerificationCaseStatus',
  description: 'A verification case; SUPERSEDED when a newer submission replaced it before review.',
});

@ObjectType({ description: "A member's real-name identity (sensitive: government ID).", simpleResolvers: true })
export class RealNameIdentity {
  @Classified(DataCategory.GOVERNMENT_ID, 'name')
  @Field(() => String, { nullable: true })
  legalName!: string | null;

  @Classified(DataCategory.GOVERNMENT_ID)
  @Field(() => DocumentType, { nullable: true })
  documentType!: DocumentType;

  @Classified(DataCategory.GOVERNMENT_ID, 'idNumber')
  @Field(() => String, { nullable: true })
  documentNumber!: string | null;

  @Field(() => VerificationStatus)
  status!: VerificationStatus;

  @Field(() => Date, { nullable: true })
  verifiedAt!: Date | null;

  @Classified(DataCategory.GOVERNMENT_ID)
  @Field(() => String, { nullable: true, description: 'Why the last verification was rejected (free text that may quote the document).' })
  rejectionReason!: string | null;

  @Field({ description: 'Pass back as expectedVersion when editing, to detect concurrent edits.' })
  version!: number;
}

@ObjectType({ description: 'A verification case of a real-name submission.', simpleResolvers: true })
export class Verification {
  @Field(() => ID)
  id!: string;

  @Field(() => VerificationCaseStatus)
  status!: VerificationCaseStatus;

  @Field(() => Date)
  openedAt!: Date;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  // The same verifier text as RealNameIdentity.rejectionReason: it may quote the document.
  @Classified(DataCategory.GOVERNMENT_ID)
  @Field(() => String, { nullable: true, description: 'Why it was rejected; shown to the member.' })
  reason!: string | null;
}

@ObjectType({ description: 'The identity after a submission, and the verification it opened.', simpleResolvers: true })
export class RealNameChange {
  @Field(() => RealNameIdentity)
  identity!: RealNameIdentity;

  @Field(() => Verification)
  verification!: Verification;
}
