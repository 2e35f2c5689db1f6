import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A machine-readable copy of everything the gateway holds about the member (never biometric templates).', simpleResolvers: true })
export class DataExport {
  @Field({ description: 'Version of the document format; bumped when its shape changes.' })
  formatVersion!: string;

  @Field(() => Date)
  generatedAt!: Date;

  @Field(() => GraphQLJSONObject, { description: 'The document: one section per kind of data held.' })
  document!: Record<string, unknown>;
}
