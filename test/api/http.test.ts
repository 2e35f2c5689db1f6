import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevStaffToken } from '../../src/auth/dev-staff-token';
import { readOrCreateKeyFile } from '../../src/secrets';
import { ME, REGISTER, newMemberInput } from '../support/members';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('HTTP surface', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ BODY_LIMIT: '2kb', TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers /healthz and /readyz while the database is up', async () => {
    expect((await fetch(`${t.origin}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('puts a request id on every response, keeping a well-formed one from a trusted proxy', async () => {
    const generated = await t.client.request(ME);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const given = await t.client.request(ME, {}, { headers: { 'x-request-id': 'edge-42' } });
    expect(given.headers.get('x-request-id')).toBe('edge-42');
    const hostile = await t.client.request(ME, {}, { headers: { 'x-request-id': 'a b<script>' } });
    expect(hostile.headers.get('x-request-id')).not.toContain('script');
    expect((await fetch(`${t.origin}/healthz`)).headers.get('x-request-id')).toBeTruthy();
  });

  it('refuses a body over the limit with BAD_USER_INPUT and 413', async () => {
    const input = newMemberInput({ contactAddress: 'x'.repeat(4000) });
    const response = await t.client.request(REGISTER, { input });
    expect(response.status).toBe(413);
    expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('refuses malformed JSON with BAD_USER_INPUT', async () => {
    const response = await fetch(`${t.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('blocks simple cross-site GET requests (CSRF prevention)', async () => {
    const response = await fetch(`${t.origin}/graphql?query=${encodeURIComponent('{ me { id } }')}`);
    expect(response.status).toBe(400);
    const allowed = await fetch(`${t.origin}/graphql?query=${encodeURIComponent('{ me { id } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
  });

  it('allows introspection and serves GraphiQL outside production', async () => {
    const introspection = await t.client.request('{ __schema { queryType { name } } }');
    expect(introspection.data!.__schema.queryType.name).toBe('Query');
    const page = await fetch(`${t.origin}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GraphiQL');
  });

  it('maps GraphQL syntax and validation failures to BAD_USER_INPUT with the original reason', async () => {
    const syntax = await t.client.request('{ me { id ');
    expect(syntax.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_PARSE_FAILED' });
    const unknownField = await t.client.request('{ me { passwordHash } }');
    expect(unknownField.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('answers /readyz with 503 when the database is gone', async () => {
    const other = await startTestGateway();
    await other.dataSource.destroy();
    try {
      const response = await fetch(`${other.origin}/readyz`);
      expect(response.status).toBe(503);
      expect((await fetch(`${other.origin}/healthz`)).status).toBe(200);
    } finally {
      await other.dataSource.initialize();
      await other.stop();
    }
  });
});

describe('HTTP surface in production', () => {
  let t: TestGateway;
  beforeAll(async () => {
    const signingKey = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: randomUUID() };
    t = await startTestGateway({
      NODE_ENV: 'production',
      SIGNING_KEY: JSON.stringify(signingKey),
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      AUDIT_SIGNING_KEY: JSON.stringify({ ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid: randomUUID() }),
      PASSWORD_HASH_COST: '14',
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('turns introspection and the landing page off', async () => {
    const introspection = await t.client.request('{ __schema { queryType { name } } }');
    expect(introspection.data ?? null).toBeNull();
    expect(introspection.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const page = await fetch(`${t.origin}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('GraphiQL');
  });

  it('masks an unexpected failure: code kept, generic message, no stack, no data', async () => {
    const { input } = { input: newMemberInput() };
    // Make the database fail under the request: the driver's message would quote stored values.
    await t.dataSource.query('DROP TABLE consent_event');
    const response = await t.client.request(REGISTER, { input });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toEqual({
      message: 'Internal server error.',
      locations: expect.any(Array),
      path: ['register'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(response)).not.toContain(input.phone);
  });

  it('ignores a client-chosen request id when no proxy is trusted', async () => {
    const response = await t.client.request('{ me { id } }', {}, { headers: { 'x-request-id': 'chosen-by-client' } });
    expect(response.headers.get('x-request-id')).not.toBe('chosen-by-client');
  });

  it('does not trust the local dev staff key', async () => {
    // Production generates no key file; any dev key at all must be refused.
    const { devStaffKey } = readOrCreateKeyFile(mkdtempSync(join(tmpdir(), 'dev-keys-')));
    const token = await signDevStaffToken(devStaffKey, { role: 'SUPPORT' });
    const response = await t.client.request(ME, {}, { token });
    expect(response.status).toBe(401);
  });
});
