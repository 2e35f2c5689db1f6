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

  it('exposes no storage detail of a member (hashes, ciphertexts, indexes, versions)', async () => {
    const printed = printGatewaySchema(await buildGatewaySchema());
    for (const name of ['passwordHash', 'Sealed', 'Index', 'wrappedKey', 'version', 'tokensValidAfter']) expect(printed).not.toContain(name);
  });
});
