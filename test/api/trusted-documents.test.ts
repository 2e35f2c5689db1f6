import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Kind, parse } from 'graphql';
import pino from 'pino';
import { newMemberInput } from '../support/members';
import { StaffIdentityProvider } from '../support/staff-idp';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'persisted-documents.json'), 'utf8')) as Record<string, string>;

/** The manifest id of an example operation, as the generated client sends it. */
function documentIdOf(operationName: string): string {
  const entry = Object.entries(manifest).find(([, text]) =>
    parse(text).definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === operationName),
  );
  if (!entry) throw new Error(`no example operation ${operationName}`);
  return entry[0];
}
const hexOf = (id: string) => id.slice('sha256:'.length);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** POSTs a raw GraphQL-over-HTTP body. */
async function post(t: TestGateway, body: Record<string, unknown>, token?: string) {
  const response = await fetch(t.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    ...((await response.json()) as { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, any> }> }),
  };
}

const FREE_FORM = '{ privacyPolicies { version summary } }';

function captureLogs(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('trusted documents under TRUSTED_DOCUMENTS=enforce', () => {
  let t: TestGateway;
  let idp: StaffIdentityProvider;
  const logs = captureLogs();
  beforeAll(async () => {
    idp = await StaffIdentityProvider.start();
    t = await startTestGateway({ ...idp.env(), TRUSTED_DOCUMENTS: 'enforce' }, { logger: logs.logger });
  });
  afterAll(async () => {
    await t?.stop();
    await idp?.stop();
  });

  async function signUp() {
    const input = newMemberInput();
    const response = await post(t, { documentId: documentIdOf('SignUp'), variables: { input } });
    expect(response.errors).toBeUndefined();
    return { input, accessToken: response.data!.register.accessToken as string };
  }

  it('runs a manifest document named by documentId, for anonymous and member viewers', async () => {
    const policies = await post(t, { documentId: documentIdOf('PrivacyPolicyArchive') });
    expect(policies.errors).toBeUndefined();
    expect(Array.isArray(policies.data!.privacyPolicies)).toBe(true);

    const { input, accessToken } = await signUp();
    const account = await post(t, { documentId: documentIdOf('AccountPage') }, accessToken);
    expect(account.errors).toBeUndefined();
    expect(account.data!.me).toMatchObject({ __typename: 'Member', memberName: input.memberName, phone: expect.stringContaining(input.phone.slice(-4)) });
  });

  it("runs a manifest document named by Apollo's APQ hash (bare hex or sha256:-prefixed) with no text sent", async () => {
    const id = documentIdOf('PrivacyPolicy');
    for (const sha256Hash of [hexOf(id), id]) {
      const response = await post(t, { variables: {}, extensions: { persistedQuery: { version: 1, sha256Hash } } });
      expect(response.errors).toBeUndefined();
      expect(response.data).toHaveProperty('privacyPolicy');
    }
  });

  it('runs a manifest document named by documentId in a GET request', async () => {
    const url = `${t.gateway.url}?documentId=${encodeURIComponent(documentIdOf('PrivacyPolicyArchive'))}`;
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).toHaveProperty('privacyPolicies');
  });

  it('answers PERSISTED_QUERY_NOT_FOUND for an id the manifest does not hold, so that Apollo clients retry', async () => {
    const unknown = `sha256:${sha256('query Unknown { me { id } }')}`;
    for (const body of [{ documentId: unknown }, { documentId: 'not-an-id' }, { extensions: { persistedQuery: { version: 1, sha256Hash: hexOf(unknown) } } }]) {
      const response = await post(t, body);
      expect(response.status).toBe(200);
      expect(response.data ?? null).toBeNull();
      expect(response.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
    }
  });

  it('refuses a free-form operation from anonymous and member viewers with FORBIDDEN, reason TRUSTED_DOCUMENT_REQUIRED, before anything runs', async () => {
    const anonymous = await post(t, { query: FREE_FORM });
    expect(anonymous.status).toBe(403);
    expect(anonymous.data ?? null).toBeNull();
    expect(anonymous.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN', reason: 'TRUSTED_DOCUMENT_REQUIRED' } })]);

    // A free-form sign-up is refused before its resolver: the member does not exist afterwards.
    const input = newMemberInput();
    const register = await post(t, { query: 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', variables: { input } });
    expect(register.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'TRUSTED_DOCUMENT_REQUIRED' });
    const signIn = await post(t, { documentId: documentIdOf('SignInWithName'), variables: { memberName: input.memberName, password: input.password } });
    expect(signIn.data ?? null).toBeNull();
    expect(signIn.errors![0]!.extensions!.code).not.toBe('FORBIDDEN');

    const { accessToken } = await signUp();
    const member = await post(t, { query: '{ me { id phone } }' }, accessToken);
    expect(member.data ?? null).toBeNull();
    expect(member.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'TRUSTED_DOCUMENT_REQUIRED' });

    const get = await fetch(`${t.gateway.url}?query=${encodeURIComponent(FREE_FORM)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(403);
  });

  it('lets staff send free-form operations and logs each with its document hash, never its text', async () => {
    const token = await idp.sign({ roles: ['PRIVACY_OFFICER'] });
    const query = '{ processingRecords { category } privacyPolicies { version } }';
    const response = await post(t, { query }, token);
    expect(response.errors).toBeUndefined();
    expect(Array.isArray(response.data!.processingRecords)).toBe(true);

    const lines = logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'free-form operation');
    expect(lines).toContainEqual(expect.objectContaining({ viewer: 'PRIVACY_OFFICER', documentId: `sha256:${sha256(query)}`, requestId: expect.any(String) }));
    expect(logs.lines.join('\n')).not.toContain('processingRecords');
  });

  it('does not register documents through APQ: a hash with its text is refused for members, run unstored for staff, and unknown afterwards', async () => {
    const query = '{ privacyPolicies { version material } }';
    const persistedQuery = { version: 1, sha256Hash: sha256(query) };
    const anonymous = await post(t, { query, extensions: { persistedQuery } });
    expect(anonymous.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'TRUSTED_DOCUMENT_REQUIRED' });

    const staff = await post(t, { query, extensions: { persistedQuery } }, await idp.sign({ roles: ['SUPPORT'] }));
    expect(staff.errors).toBeUndefined();

    const later = await post(t, { extensions: { persistedQuery } });
    expect(later.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
  });
});

describe('trusted documents under TRUSTED_DOCUMENTS=allow', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ TRUSTED_DOCUMENTS: 'allow' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('accepts free-form operations and manifest documents alike', async () => {
    const freeForm = await post(t, { query: FREE_FORM });
    expect(freeForm.errors).toBeUndefined();
    const byId = await post(t, { documentId: documentIdOf('PrivacyPolicyArchive') });
    expect(byId.errors).toBeUndefined();
    expect(byId.data!.privacyPolicies).toEqual(expect.any(Array));
  });

  it("registers an APQ document in Apollo Server's cache once it has run, and still answers an unknown hash PERSISTED_QUERY_NOT_FOUND", async () => {
    const query = '{ privacyPolicies { version publishedAt } }';
    const persistedQuery = { version: 1, sha256Hash: sha256(query) };
    const first = await post(t, { extensions: { persistedQuery } });
    expect(first.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await post(t, { query, extensions: { persistedQuery } });
    expect(register.errors).toBeUndefined();
    const again = await post(t, { extensions: { persistedQuery } });
    expect(again.errors).toBeUndefined();
    expect(again.data!.privacyPolicies).toEqual(register.data!.privacyPolicies);
  });
});

describe("Apollo Client 4 with the examples' trusted-document link", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ TRUSTED_DOCUMENTS: 'enforce' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('sends the manifest ids of the generated documents, so the example operations run under enforce with no retry', async () => {
    const { ApolloClient, HttpLink, InMemoryCache } = await import('@apollo/client');
    const { trustedDocumentLink } = await import('../../examples/apollo/trusted-document-link');
    const { AccountPageDocument, PrivacyPolicyArchiveDocument, SignUpDocument } = await import('../../examples/client/graphql');
    const sent: Array<Record<string, unknown>> = [];
    const session: { token?: string } = {};
    const recordingFetch: typeof fetch = async (url, init) => {
      sent.push(JSON.parse(String(init!.body)) as Record<string, unknown>);
      const headers = { ...(init!.headers as Record<string, string>), ...(session.token ? { authorization: `Bearer ${session.token}` } : {}) };
      return fetch(url, { ...init, headers });
    };
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: trustedDocumentLink().concat(new HttpLink({ uri: t.gateway.url, fetch: recordingFetch })),
      defaultOptions: { query: { errorPolicy: 'all' as const }, watchQuery: { errorPolicy: 'all' as const }, mutate: { errorPolicy: 'all' as const } },
    });

    const policies = await client.query({ query: PrivacyPolicyArchiveDocument });
    expect(policies.data!.privacyPolicies).toEqual(expect.any(Array));
    const input = newMemberInput();
    const signedUp = await client.mutate({ mutation: SignUpDocument, variables: { input: input as never } });
    session.token = signedUp.data!.register.accessToken;
    const account = await client.query({ query: AccountPageDocument });
    expect(account.data!.me!.memberName).toBe(input.memberName);

    // Every request carried only a hash that is a manifest key: no text, no not-found round trip.
    expect(sent).toHaveLength(3);
    for (const body of sent) {
      expect(body.query).toBeUndefined();
      const hash = (body.extensions as { persistedQuery: { sha256Hash: string } }).persistedQuery.sha256Hash;
      expect(Object.keys(manifest)).toContain(`sha256:${hash}`);
    }
  });

  it("shows why: Apollo's default link hashes its own print, gets PERSISTED_QUERY_NOT_FOUND, retries with the text and is refused", async () => {
    const { ApolloClient, HttpLink, InMemoryCache } = await import('@apollo/client');
    const { PersistedQueryLink } = await import('@apollo/client/link/persisted-queries');
    const { PrivacyPolicyArchiveDocument } = await import('../../examples/client/graphql');
    const sent: Array<Record<string, unknown>> = [];
    const recordingFetch: typeof fetch = async (url, init) => {
      sent.push(JSON.parse(String(init!.body)) as Record<string, unknown>);
      return fetch(url, init);
    };
    const link = new PersistedQueryLink({ sha256: (text: string) => sha256(text) }).concat(new HttpLink({ uri: t.gateway.url, fetch: recordingFetch }));
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link,
      defaultOptions: { query: { errorPolicy: 'all' as const }, watchQuery: { errorPolicy: 'all' as const }, mutate: { errorPolicy: 'all' as const } },
    });
    const refusal = (await client.query({ query: PrivacyPolicyArchiveDocument }).then(
      (result) => result.error,
      (error: unknown) => error,
    )) as { errors?: unknown[]; bodyText?: string } | undefined;
    expect(JSON.stringify(refusal?.errors ?? refusal?.bodyText)).toContain('TRUSTED_DOCUMENT_REQUIRED');
    expect(sent).toHaveLength(2);
    expect(sent[0]!.query).toBeUndefined();
    expect(typeof sent[1]!.query).toBe('string');
  });
});
