import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGatewaySchema } from '../../src/schema';
import { printGatewaySchema } from '../../src/schema-printer';

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema` after changing a type)', async () => {
    const checkedIn = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    expect(printGatewaySchema(await buildGatewaySchema())).toBe(checkedIn);
  });

  it('keeps the contract names of DESIGN.md', async () => {
    const schema = await buildGatewaySchema();
    const mutations = Object.keys(schema.getMutationType()!.getFields());
    expect(mutations).toEqual(expect.arrayContaining(['register', 'login', 'refreshToken', 'stepUp', 'logout', 'updateProfile', 'changePassword']));
    expect(Object.keys(schema.getQueryType()!.getFields())).toContain('me');
    const login = schema.getMutationType()!.getFields().login!;
    expect(login.args.map((arg) => `${arg.name}: ${String(arg.type)}`)).toEqual(['identifier: String!', 'password: String!']);
    expect(String(schema.getMutationType()!.getFields().changePassword!.type)).toBe('Boolean!');
    const payload = schema.getType('AuthPayload') as import('graphql').GraphQLObjectType;
    expect(Object.keys(payload.getFields())).toEqual(['accessToken', 'refreshToken', 'expiresIn', 'member']);
  });

  it('exposes no storage detail on any output type (hashes, ciphertexts, indexes, keys, templates)', async () => {
    const { isObjectType } = await import('graphql');
    const schema = await buildGatewaySchema();
    const fields = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && type.name !== 'Mutation')
      .flatMap((type) => Object.keys((type as import('graphql').GraphQLObjectType).getFields()).map((field) => `${type.name}.${field}`));
    for (const field of fields) expect(field).not.toMatch(/password|Sealed|Index$|wrappedKey|tokensValidAfter|template|dimensions|documentIndex/i);
  });
});

describe('the policy in the schema', () => {
  const objectTypes = async () => {
    const { isObjectType } = await import('graphql');
    const schema = await buildGatewaySchema();
    return Object.values(schema.getTypeMap()).filter((type) => isObjectType(type) && !type.name.startsWith('__')) as import('graphql').GraphQLObjectType[];
  };

  it('makes every classified field nullable', async () => {
    const { GraphQLNonNull } = await import('graphql');
    for (const type of await objectTypes()) {
      for (const field of Object.values(type.getFields())) {
        if ((field.extensions.privacy as { category?: string } | undefined)?.category) {
          expect({ field: `${type.name}.${field.name}`, nonNull: field.type instanceof GraphQLNonNull }).toEqual({ field: `${type.name}.${field.name}`, nonNull: false });
        }
      }
    }
  });

  it('classifies or explicitly marks public every field of a personal type (default deny)', async () => {
    const personal = (await objectTypes()).filter((type) => type.extensions.personalData);
    expect(personal.map((type) => type.name)).toEqual(expect.arrayContaining(['Member', 'AuditEntry']));
    for (const type of personal) {
      for (const field of Object.values(type.getFields())) {
        const privacy = field.extensions.privacy as { category?: string; public?: boolean } | undefined;
        expect({ field: `${type.name}.${field.name}`, declared: Boolean(privacy?.category || privacy?.public) }).toEqual({ field: `${type.name}.${field.name}`, declared: true });
      }
    }
  });

  it('leaves unclassified plain fields on the default resolver: no per-field wrapper, only declared relations resolve', async () => {
    for (const type of await objectTypes()) {
      if (['Query', 'Mutation'].includes(type.name)) continue;
      for (const field of Object.values(type.getFields())) {
        const classified = Boolean((field.extensions.privacy as { category?: string } | undefined)?.category);
        if (classified) expect(field.resolve).toEqual(expect.any(Function));
        // Only relations resolved on purpose (explicitly public containers) may have a resolver.
        else if (field.resolve) expect({ field: `${type.name}.${field.name}`, public: (field.extensions.privacy as { public?: boolean } | undefined)?.public }).toEqual({ field: `${type.name}.${field.name}`, public: true });
      }
    }
  });

  it('shows the classification and the policy sentence next to the field in schema.graphql', () => {
    const checkedIn = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    expect(checkedIn).toContain('directive @classified(category: DataCategory!) on FIELD_DEFINITION');
    expect(checkedIn).toMatch(/Mobile phone in E\.164 format\. Personal: contact\. Shown in full to the member\. Staff with a stated purpose: masked\. Staff reads are audited\.\s+"""\s+phone: String @classified\(category: CONTACT\)/);
  });
});
