import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLNamedType, type GraphQLSchema, getNamedType, isCompositeType, isInterfaceType, isObjectType, isUnionType } from 'graphql';
import { join } from 'node:path';
import { buildGatewaySchema } from '../../src/schema';
import { printGatewaySchema } from '../../src/schema-printer';
import { PUBLIC_FIELDS } from '../../src/policy/public-fields';

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
    // The contract's names, in order; more may be added around them.
    expect(Object.keys(payload.getFields()).filter((name) => ['accessToken', 'refreshToken', 'expiresIn', 'member'].includes(name))).toEqual([
      'accessToken',
      'refreshToken',
      'expiresIn',
      'member',
    ]);
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
          expect({ field: `${type.name}.${field.name}`, nonNull: field.type instanceof GraphQLNonNull }).toEqual({
            field: `${type.name}.${field.name}`,
            nonNull: false,
          });
        }
      }
    }
  });

  it('classifies every field reachable from Query and Mutation, or lists it in PUBLIC_FIELDS with a reason', async () => {
    const { unlisted, reasonless } = reachableFields(await buildGatewaySchema());
    expect(unlisted).toEqual([]);
    expect(reasonless).toEqual([]);
  });

  it('has no stale PUBLIC_FIELDS entries: each names a reachable field that is not classified', async () => {
    const { listed } = reachableFields(await buildGatewaySchema());
    expect(Object.keys(PUBLIC_FIELDS).filter((field) => !listed.has(field))).toEqual([]);
  });

  it('walks through lists, non-nulls, unions and interfaces, stops at classified fields, and ignores types no root reaches', () => {
    const schema = buildSchema(`
      type Query { feed: [Item!]! search: Result count: Int secret: Hidden }
      interface Item { id: ID! }
      type Post implements Item { id: ID! body: String }
      type Photo implements Item { id: ID! caption: String }
      union Result = Hit | Miss
      type Hit { title: String }
      type Miss { hint: String }
      type Hidden { inside: String }
      type Orphan { never: String }
    `);
    // Mark Query.secret classified the way @Classified does, through the field's extensions.
    (schema.getQueryType()!.getFields().secret as { extensions: unknown }).extensions = { privacy: { category: 'ACCOUNT' } };
    const { unlisted, listed } = reachableFields(schema, { 'Post.id': 'row id', 'Photo.id': 'row id' });
    expect(unlisted.sort()).toEqual(['Hit.title', 'Item.id', 'Miss.hint', 'Photo.caption', 'Post.body', 'Query.count'].sort());
    expect([...listed].sort()).toEqual(['Photo.id', 'Post.id']);
  });

  it('lets only relations resolve on their own among unclassified fields: plain public values keep the default resolver', async () => {
    for (const type of await objectTypes()) {
      if (['Query', 'Mutation'].includes(type.name)) continue;
      for (const field of Object.values(type.getFields())) {
        const classified = Boolean((field.extensions.privacy as { category?: string } | undefined)?.category);
        if (classified) expect(field.resolve).toEqual(expect.any(Function));
        else if (field.resolve)
          expect({ field: `${type.name}.${field.name}`, relation: isCompositeType(getNamedType(field.type)) }).toEqual({
            field: `${type.name}.${field.name}`,
            relation: true,
          });
      }
    }
  });

  it('shows the classification and the policy sentence next to the field in schema.graphql', () => {
    const checkedIn = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    expect(checkedIn).toContain('directive @classified(category: DataCategory!) on FIELD_DEFINITION');
    expect(checkedIn).toMatch(
      /Mobile phone in E\.164 format\. Personal: contact\. Shown in full to the member\. Staff with a stated purpose: masked\. Staff reads are audited\.\s+"""\s+phone: String @classified\(category: CONTACT\)/,
    );
  });
});

/**
 * Walks the schema from Query and Mutation through every unclassified field (lists, non-nulls,
 * connections, edges, interfaces and unions included). A classified field is decided as a whole,
 * so the walk stops there. Root fields answering with a plain value are walked like any field;
 * root fields answering with an object are entry points, covered by the walk of their type.
 */
function reachableFields(
  schema: GraphQLSchema,
  publicFields: Readonly<Record<string, string>> = PUBLIC_FIELDS,
): { unlisted: string[]; reasonless: string[]; listed: Set<string> } {
  const unlisted: string[] = [];
  const reasonless: string[] = [];
  const listed = new Set<string>();
  const seen = new Set<string>();
  const queue: GraphQLNamedType[] = [];
  const visit = (type: GraphQLNamedType) => {
    if (seen.has(type.name)) return;
    seen.add(type.name);
    queue.push(type);
  };
  for (const root of [schema.getQueryType(), schema.getMutationType()]) if (root) visit(root);
  while (queue.length > 0) {
    const type = queue.shift()!;
    if (isUnionType(type)) type.getTypes().forEach(visit);
    if (isInterfaceType(type)) schema.getPossibleTypes(type).forEach(visit);
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const isRoot = type === schema.getQueryType() || type === schema.getMutationType();
    for (const field of Object.values(type.getFields())) {
      const name = `${type.name}.${field.name}`;
      const target = getNamedType(field.type);
      if ((field.extensions.privacy as { category?: string } | undefined)?.category) continue;
      if (isCompositeType(target)) visit(target);
      if (isRoot && isCompositeType(target)) continue;
      if (!(name in publicFields)) unlisted.push(name);
      else if (!publicFields[name]!.trim()) reasonless.push(name);
      else listed.add(name);
    }
  }
  return { unlisted, reasonless, listed };
}
