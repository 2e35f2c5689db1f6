import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { useGateway } from '../../support/use-gateway';
import type { GraphQLResponse } from '../../support/graphql-client';

const signingKey = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: randomUUID() };
const auditKey = { ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid: randomUUID() };

/** Typos a prober sends to harvest names from suggestions, each answered with an error. */
const PROBES: Array<[string, string, Record<string, unknown>]> = [
  ['a misspelt root field', '{ mee { id } }', {}],
  ['a misspelt nested field', '{ privacyPolicy { versio } }', {}],
  ['a misspelt argument', '{ privacyPolicy(versio: "1") { version } }', {}],
  ['a misspelt enum literal', 'mutation { grantConsent(purpose: MARKETIN) { purpose } }', {}],
  ['a misspelt type in a variable definition', 'query($v: Strin) { privacyPolicy(version: $v) { version } }', {}],
  ['a misspelt input field in variables', 'mutation($input: ProfileInput!) { updateProfile(input: $input) { id } }', { input: { phon: '13912345678' } }],
  ['a misspelt enum value in variables', 'mutation($p: ConsentPurpose!) { grantConsent(purpose: $p) { purpose } }', { p: 'MARKETIN' }],
];

describe('hostile clients: production hides the schema', () => {
  const { t } = useGateway({
    env: {
      NODE_ENV: 'production',
      SIGNING_KEY: JSON.stringify(signingKey),
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      AUDIT_SIGNING_KEY: JSON.stringify(auditKey),
    },
  });

  const messages = (response: GraphQLResponse) => (response.errors ?? []).map((error) => error.message).join('\n');

  it.each(PROBES)('suggests no name for %s', async (_label, query, variables) => {
    const response = await t.client.request(query, variables);
    expect(response.errors?.length).toBeGreaterThan(0);
    expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(messages(response)).not.toMatch(/did you mean/i);
    for (const name of ['"me"', '"version"', 'MARKETING', '"String"', '"phone"']) expect(messages(response)).not.toContain(name);
  });
});

describe('hostile clients: suggestions outside production', () => {
  const { t } = useGateway();

  it('still helps developers with suggestions, in validation and in variables', async () => {
    const response = await t.client.request('{ mee { id } }');
    expect(response.errors![0]!.message).toContain('Did you mean "me"?');
    const [, query, variables] = PROBES.find(([label]) => label.includes('input field'))!;
    expect((await t.client.request(query, variables)).errors![0]!.message).toContain('Did you mean "phone"?');
  });
});
