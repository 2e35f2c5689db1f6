import { Length, Matches } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { IsNotBlank } from '../members/member-validators';
import { DataCategory } from '../policy/data-category';

@ObjectType({ description: 'A published version of the privacy policy.', simpleResolvers: true })
export class PrivacyPolicy {
  @Field() version!: string;
  @Field({ description: 'A material change asks members to accept again before most mutations.' }) material!: boolean;
  @Field() summary!: string;
  @Field() text!: string;
  @Field(() => Date) publishedAt!: Date;
}

@InputType()
export class PrivacyPolicyInput {
  @Field({ description: 'A new version label, e.g. 2026-11 or 3.1.' })
  @Matches(/^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$/, { message: 'version must be 1-32 letters, digits, dots or hyphens' })
  version!: string;

  @Field() material!: boolean;

  @Field() @Length(1, 500, { message: 'summary must be 1-500 characters long' }) @IsNotBlank() summary!: string;

  @Field() @Length(1, 200_000, { message: 'text must be 1-200000 characters long' }) @IsNotBlank() text!: string;
}

@ObjectType({
  description: 'One record of processing, generated from the field classification and the policy table: it cannot drift from the code.',
  simpleResolvers: true,
})
export class ProcessingRecord {
  @Field(() => DataCategory) category!: DataCategory;
  @Field({ description: 'Sensitive categories need separate consent, step-up for full values, and every read is audited.' }) sensitive!: boolean;
  @Field(() => [String], { description: 'Every GraphQL field that carries this category, as Type.field.' }) fields!: string[];
  @Field(() => [String], { description: 'The consent purposes processing rests on (MEMBERSHIP: the contract).' }) purposes!: string[];
  @Field({ description: 'consent or contract.' }) legalBasis!: string;
  @Field({ description: 'Who sees what, as the policy table says.' }) access!: string;
}
