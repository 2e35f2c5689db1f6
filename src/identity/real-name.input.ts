import { IsOptional, Length, registerDecorator, type ValidationArguments } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { IsNotBlank } from '../members/member-validators';
import { documentProblem, type DocumentTypeName } from './document-rules';
import { DocumentType } from './identity.types';

/** Checks documentNumber against the rules of the documentType beside it. */
function IsDocumentNumber() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDocumentNumber',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          typeof value === 'string' && documentProblem((args.object as RealNameInput).documentType as DocumentTypeName, value) === null,
        defaultMessage: (args: ValidationArguments) =>
          documentProblem((args.object as RealNameInput).documentType as DocumentTypeName, String(args.value ?? '')) ?? 'documentNumber is not valid',
      },
    });
}

@InputType({ description: 'Real-name data: the first submission or an edit. Needs consent REAL_NAME_AUTH and a recent sign-in.' })
export class RealNameInput {
  @Field()
  @Length(2, 64, { message: 'legalName must be 2-64 characters long' })
  @IsNotBlank()
  legalName!: string;

  @Field(() => DocumentType)
  documentType!: DocumentType;

  @Field()
  @IsDocumentNumber()
  documentNumber!: string;

  @Field(() => Int, { nullable: true, description: 'The identity version this edit is based on; CONFLICT if it changed meanwhile.' })
  @IsOptional()
  expectedVersion?: number | null;
}
