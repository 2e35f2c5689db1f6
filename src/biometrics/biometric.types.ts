import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Classified } from '../policy/classified.decorator';
import { DataCategory } from '../policy/data-category';

export enum BiometricKind {
  FACE = 'FACE',
  VOICEPRINT = 'VOICEPRINT',
}
registerEnumType(BiometricKind, { name: 'BiometricKind' });

/** Enrolment metadata only: the template itself is never part of any type. */
@ObjectType({ description: 'A biometric enrolment (kind and time only; the template is never returned).', simpleResolvers: true })
export class BiometricEnrollment {
  @Classified(DataCategory.BIOMETRIC)
  @Field(() => BiometricKind, { nullable: true })
  kind!: BiometricKind;

  @Classified(DataCategory.ACCOUNT, 'date')
  @Field(() => Date, { nullable: true })
  enrolledAt!: Date;
}
