import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Classified, PersonalData, PublicField } from '../policy/classified.decorator';
import { DataCategory } from '../policy/data-category';

export enum BiometricKind {
  FACE = 'FACE',
  VOICEPRINT = 'VOICEPRINT',
}
registerEnumType(BiometricKind, { name: 'BiometricKind' });

/** Enrolment metadata only: the template itself is never part of any type. */
@PersonalData()
@ObjectType({ description: 'A biometric enrolment (kind and time only; the template is never returned).', simpleResolvers: true })
export class BiometricEnrollment {
  @PublicField()
  @Field(() => BiometricKind)
  kind!: BiometricKind;

  @Classified(DataCategory.ACCOUNT, 'date')
  @Field(() => Date, { nullable: true })
  enrolledAt!: Date;
}
