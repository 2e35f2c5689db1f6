import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GraphQLClient } from '../support/graphql-client';
import { LOGIN, ME, newMemberInput, REGISTER } from '../support/members';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// The built entry point (dist/ is produced by the test run's global setup), started as in
// production: instrumentations patch graphql, mysql2 and http as they load, which only a fresh
// Node process shows (jest's module registry bypasses Node's require hooks).
const ROOT = resolve(__dirname, '../..');
const MAIN = resolve(ROOT, 'dist/src/main.js');

interface OtlpSpan {
  name: string;
  scope: string;
  attributes: Record<string, unknown>;
}

/**
 * An OTLP/HTTP collector of our own: keeps every body the gateway's exporter sends to
 * /v1/traces, exactly as it would leave for a real collector.
 */
class TraceReceiver {
  readonly bodies: string[] = [];
  private server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (request.url === '/v1/traces') this.bodies.push((request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8'));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  stop(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }

  spans(): OtlpSpan[] {
    type Value = Record<string, unknown>;
    type Body = {
      resourceSpans: Array<{
        scopeSpans: Array<{ scope: { name: string }; spans: Array<{ name: string; attributes?: Array<{ key: string; value: Value }> }> }>;
      }>;
    };
    return this.bodies.flatMap((body) =>
      (JSON.parse(body) as Body).resourceSpans.flatMap(({ scopeSpans }) =>
        scopeSpans.flatMap(({ scope, spans }) =>
          spans.map((span) => ({
            name: span.name,
            scope: scope.name,
            attributes: Object.fromEntries((span.attributes ?? []).map(({ key, value }) => [key, Object.values(value)[0]])),
          })),
        ),
      ),
    );
  }
}

describe('tracing (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  const receiver = new TraceReceiver();
  let database: TestDatabase;
  let dataDir: string;
  let child: ChildProcessWithoutNullStreams;
  let exited: Promise<number | null>;
  let client: GraphQLClient;

  beforeAll(async () => {
    const endpoint = await receiver.start();
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'tracing-'));
    child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        // Not `test`: in other environments Apollo Server would install signal handlers of its own (see server.ts).
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: '4',
        LOG_LEVEL: 'info',
        PASSWORD_HASH_COST: '14',
        TRUSTED_DOCUMENTS: 'allow',
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      },
    });
    exited = new Promise((done) => child.once('exit', (code) => done(code)));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The URL comes from the "gateway listening" log line (PORT 0: a free port).
    const url = await new Promise<string>((done, fail) => {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        for (const line of stdout.split('\n')) {
          if (line.includes('"gateway listening"')) done((JSON.parse(line) as { url: string }).url);
        }
      });
      void exited.then((code) => fail(new Error(`the gateway exited (${code}) before listening: ${stderr}`)));
    });
    client = new GraphQLClient(url);
  }, 120_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    await receiver.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends spans of HTTP, GraphQL and the database with no submitted personal value in any of them', async () => {
    const input = newMemberInput({
      contactName: 'Traceable Personname',
      contactAddress: 'No. 404 Span Street, Jing’an District, Shanghai',
      birthDate: '1983-07-29',
    });
    const newAddress = 'No. 12 Exporter Alley, Pudong New Area, Shanghai';
    const versionAsked = `policy-for-${input.memberName}`;
    const notAnEnum = `CONSENT_OF_${input.memberName.toUpperCase()}`;

    const registered = await client.request(REGISTER, { input });
    expect(registered.errors).toBeUndefined();
    const memberId = registered.data!.register.member.id as string;
    const login = await client.request(LOGIN, { identifier: input.phone, password: input.password });
    const token = login.data!.login.accessToken as string;
    expect((await client.request(ME, {}, { token })).data!.me.contactName).toBe(input.contactName);
    const updated = await client.request(
      `mutation ($input: ProfileInput!) { updateProfile(input: $input) { contactAddress } }`,
      { input: { contactAddress: newAddress } },
      { token },
    );
    expect(updated.data!.updateProfile.contactAddress).toBe(newAddress);
    // GET carries the variables in the URL.
    const get = new URL(client.url);
    get.searchParams.set('query', 'query Policy($version: String) { privacyPolicy(version: $version) { version } }');
    get.searchParams.set('variables', JSON.stringify({ version: versionAsked }));
    expect((await fetch(get, { headers: { 'apollo-require-preflight': 'true' } })).status).toBe(200);
    // A value the schema refuses: graphql-js quotes it in its error, which must not reach a span.
    const refused = await client.request(REGISTER, { input: { ...newMemberInput(), consents: [notAnEnum] } });
    expect(refused.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');

    // SIGTERM: the gateway stops and sends the spans it still holds before exiting.
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const spans = receiver.spans();
    const scopes = new Set(spans.map((span) => span.scope));
    expect(scopes).toContain('@opentelemetry/instrumentation-http');
    expect(scopes).toContain('@opentelemetry/instrumentation-graphql');
    // GraphQL operations are spanned by type; their names are the client's text and stay out.
    const names = spans.map((span) => span.name);
    expect(names).toEqual(expect.arrayContaining(['mutation', 'query']));
    expect(names.filter((name) => /Register|Login|\bMe\b/.test(name))).toEqual([]);
    const targets = spans.flatMap((span) => [span.attributes['http.target'], span.attributes['url.path']]).filter((target) => target !== undefined);
    expect(targets).toContain('/graphql');
    expect(targets.every((target) => !String(target).includes('?'))).toBe(true);
    if (database.kind === 'mariadb') {
      const statements = spans.filter((span) => span.scope === '@opentelemetry/instrumentation-mysql2').map((span) => String(span.attributes['db.query.text']));
      expect(statements.some((statement) => statement.startsWith('INSERT INTO `member`'))).toBe(true);
    }

    const everything = receiver.bodies.join('\n');
    for (const secret of [
      memberId,
      input.memberName,
      input.phone,
      input.password,
      input.contactName,
      input.contactAddress,
      input.birthDate,
      newAddress,
      versionAsked,
      notAnEnum,
      encodeURIComponent(versionAsked),
    ]) {
      expect([secret, everything.includes(secret)]).toEqual([secret, false]);
    }
  }, 90_000);
});
