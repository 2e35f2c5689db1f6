import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse } from 'graphql';
import { IsNull } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { LOGIN, registerMember } from '../support/members';
import { parsePrometheusText, valueOf, type Sample } from '../support/prometheus-text';
import { browse } from '../support/storefront';
import { startTestGateway, type TestGateway } from '../support/test-gateway';
import { useGateway } from '../support/use-gateway';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'persisted-documents.json'), 'utf8')) as Record<string, string>;
/** Operation name → manifest id, for every operation of the trusted-document manifest. */
const manifestOperations = new Map(
  Object.entries(manifest).flatMap(([id, text]) =>
    parse(text).definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [[definition.name.value, id] as const] : [],
    ),
  ),
);

const FAMILIES = {
  gateway_request_duration_seconds: 'histogram',
  gateway_policy_decisions_total: 'counter',
  gateway_audit_append_seconds: 'histogram',
  gateway_audit_append_failures_total: 'counter',
  gateway_audit_unsequenced: 'gauge',
  gateway_outbox_notices: 'gauge',
  gateway_db_pool_connections: 'gauge',
  gateway_throttle_rejections_total: 'counter',
  gateway_metrics_collect_failures_total: 'counter',
  process_cpu_seconds_total: 'counter',
  nodejs_eventloop_lag_seconds: 'gauge',
};

const STAFF_READ = `query Staff($id: ID!, $purpose: String!) { member(id: $id, purpose: $purpose) { id memberName phone contactName } }`;

async function scrape(t: TestGateway, headers: Record<string, string> = {}): Promise<{ text: string; types: Map<string, string>; samples: Sample[] }> {
  const response = await fetch(`${t.origin}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await response.text();
  return { text, ...parsePrometheusText(text) };
}

describe('GET /metrics', () => {
  const { t, idp } = useGateway({ staff: true, env: { LOGIN_MAX_FAILURES_PER_IDENTIFIER: '2' } });
  const support = () => idp.sign({ roles: ['SUPPORT'] }, { subject: 'support-7' });

  /** A trusted document sent by its manifest id, as the storefront sends it. */
  const byDocumentId = async (operationName: string, token: string) => {
    const response = await fetch(t.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ documentId: manifestOperations.get(operationName), variables: {} }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { data?: Record<string, any>; errors?: Array<{ extensions: { code: string } }> };
  };

  it('serves Prometheus text with every family, labelled without member ids, personal values or operation text', async () => {
    const m = await registerMember(t.client, { contactName: 'Metrics Probe-Person', contactAddress: 'No. 77 Observatory Lane, Xuhui District, Shanghai' });
    await browse(t.client, m.accessToken, 1);
    const purpose = `ticket for ${m.input.memberName}`;
    const freeFormName = `Visit_${m.input.memberName}`;
    expect((await byDocumentId('Devices', m.accessToken)).data?.me.devices).toHaveLength(1);
    expect((await t.client.request(`query ${freeFormName} { me { id phone } }`, {}, { token: m.accessToken })).data?.me.phone).toContain(m.input.phone);
    expect((await t.client.request(STAFF_READ, { id: m.member.id, purpose }, { token: await support() })).data?.member.memberName).toBe(m.input.memberName);
    expect((await t.client.request(LOGIN, { identifier: m.input.phone, password: 'Wrong-Password-1' })).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');

    const { text, types, samples } = await scrape(t);
    for (const [family, type] of Object.entries(FAMILIES)) expect([family, types.get(family)]).toEqual([family, type]);
    for (const secret of [
      m.member.id,
      m.input.memberName,
      m.input.phone,
      m.input.contactName,
      m.input.contactAddress,
      m.input.password,
      purpose,
      freeFormName,
      'Visit_',
    ]) {
      expect(text).not.toContain(secret);
    }
    // The operation label is a manifest name or a fixed word, never what a client wrote.
    const operations = new Set(samples.filter((sample) => sample.name === 'gateway_request_duration_seconds_count').map((sample) => sample.labels.operation));
    for (const operation of operations) expect(manifestOperations.has(operation!) || ['unlisted', 'anonymous'].includes(operation!)).toBe(true);
    // Devices reads the device's location, which needs LOCATION consent: its first error answers for it.
    expect(valueOf(samples, 'gateway_request_duration_seconds_count', { operation_type: 'query', operation: 'Devices', outcome: 'CONSENT_REQUIRED' })).toBe(1);
    expect(valueOf(samples, 'gateway_request_duration_seconds_count', { operation_type: 'mutation', operation: 'unlisted', outcome: 'UNAUTHENTICATED' })).toBe(
      1,
    );
    expect(
      valueOf(samples, 'gateway_request_duration_seconds_count', { operation_type: 'query', operation: 'unlisted', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(2);
    expect(valueOf(samples, 'gateway_outbox_notices', { state: 'PENDING' })).toBe(0);
    // The staff read and the denied location were audited; the sequencer chains them only after its settle margin.
    expect(valueOf(samples, 'gateway_audit_unsequenced')).toBe(await t.dataSource.getRepository(AuditEventEntity).countBy({ seq: IsNull() }));
    expect(valueOf(samples, 'gateway_audit_unsequenced')).toBeGreaterThan(0);
    const pool = ['in_use', 'idle', 'waiting'].map((state) => valueOf(samples, 'gateway_db_pool_connections', { state }));
    if (t.database.kind === 'sqlite') expect(pool).toEqual([0, 1, 0]);
    else expect(pool[0]! + pool[1]!).toBeGreaterThanOrEqual(1);
  });

  it('counts policy decisions by category and outcome, and times each audit write', async () => {
    const m = await registerMember(t.client);
    await browse(t.client, m.accessToken, 1);
    const before = (await scrape(t)).samples;
    const decisions = (samples: Sample[], category: string, outcome: string) => valueOf(samples, 'gateway_policy_decisions_total', { category, outcome });
    const appends = (samples: Sample[]) => valueOf(samples, 'gateway_audit_append_seconds_count');

    // Support reads the member for a stated purpose: the name in full, contact data masked (and audited).
    await t.client.request(STAFF_READ, { id: m.member.id, purpose: 'support ticket' }, { token: await support() });
    // The member reads their device: in full, but its location needs LOCATION consent (denied, audited).
    await byDocumentId('Devices', m.accessToken);

    const after = (await scrape(t)).samples;
    expect(decisions(after, 'ACCOUNT', 'ALLOW') - decisions(before, 'ACCOUNT', 'ALLOW')).toBe(1);
    expect(decisions(after, 'CONTACT', 'MASK') - decisions(before, 'CONTACT', 'MASK')).toBe(1);
    expect(decisions(after, 'DEVICE', 'ALLOW') - decisions(before, 'DEVICE', 'ALLOW')).toBe(1);
    expect(decisions(after, 'LOCATION', 'DENY') - decisions(before, 'LOCATION', 'DENY')).toBe(1);
    expect(appends(after) - appends(before)).toBe(2);
    expect(valueOf(after, 'gateway_audit_append_failures_total')).toBe(0);
  });

  it('labels a response withheld for a failed audit write SERVICE_UNAVAILABLE, not by the result it replaced', async () => {
    const m = await registerMember(t.client);
    await browse(t.client, m.accessToken, 1);
    const withheld = (samples: Sample[]) =>
      valueOf(samples, 'gateway_request_duration_seconds_count', { operation_type: 'query', operation: 'Devices', outcome: 'SERVICE_UNAVAILABLE' });
    const before = withheld((await scrape(t)).samples);
    await t.dataSource.query('ALTER TABLE audit_event RENAME TO audit_event_away');
    try {
      // The device read is audited (its location is denied): its write fails, and the answer is withheld.
      const response = await fetch(t.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${m.accessToken}` },
        body: JSON.stringify({ documentId: manifestOperations.get('Devices'), variables: {} }),
      });
      expect(response.status).toBe(503);
    } finally {
      await t.dataSource.query('ALTER TABLE audit_event_away RENAME TO audit_event');
    }
    const after = (await scrape(t)).samples;
    expect(withheld(after) - before).toBe(1);
    expect(valueOf(after, 'gateway_audit_append_failures_total')).toBeGreaterThanOrEqual(1);
  });

  it('counts a RATE_LIMITED sign-in under the login throttle', async () => {
    const m = await registerMember(t.client);
    const rejections = async () => valueOf((await scrape(t)).samples, 'gateway_throttle_rejections_total', { throttle: 'login' });
    const before = await rejections();
    for (let i = 0; i < 2; i += 1) await t.client.request(LOGIN, { identifier: m.input.memberName, password: 'Wrong-Password-1' });
    // Under an alias, too: the throttle is known by the root field's name.
    const refused = await t.client.request(
      `mutation ($identifier: String!, $password: String!) { signIn: login(identifier: $identifier, password: $password) { accessToken } }`,
      { identifier: m.input.memberName, password: m.input.password },
    );
    expect(refused.errors![0]!.extensions!.code).toBe('RATE_LIMITED');
    expect((await rejections()) - before).toBe(1);
  });

  it('leaves out a gauge whose source fails, counts the failure, and still answers', async () => {
    const failures = (samples: Sample[]) => valueOf(samples, 'gateway_metrics_collect_failures_total', { gauge: 'gateway_outbox_notices' });
    const before = (await scrape(t)).samples;
    await t.dataSource.query('ALTER TABLE erasure_notice RENAME TO erasure_notice_away');
    let during: Awaited<ReturnType<typeof scrape>>;
    try {
      during = await scrape(t);
    } finally {
      await t.dataSource.query('ALTER TABLE erasure_notice_away RENAME TO erasure_notice');
    }
    expect(during.types.get('gateway_outbox_notices')).toBe('gauge');
    expect(during.samples.filter((sample) => sample.name === 'gateway_outbox_notices')).toEqual([]);
    expect(failures(during.samples) - failures(before)).toBe(1);
    expect(valueOf((await scrape(t)).samples, 'gateway_outbox_notices', { state: 'PENDING' })).toBe(0);
  });

  // Further gateways on the same database (already migrated), with other settings.
  it('asks for the bearer token when METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const other = await startTestGateway({ METRICS_TOKEN: token }, { database: t.database });
    try {
      const status = async (authorization?: string) => (await fetch(`${other.origin}/metrics`, { headers: authorization ? { authorization } : {} })).status;
      expect(await status()).toBe(401);
      expect(await status(`Bearer ${token}x`)).toBe(401);
      expect(await status(token)).toBe(401);
      expect(await status(`Bearer ${token}`)).toBe(200);
    } finally {
      await other.stop();
    }
  });

  it('serves no metrics when METRICS_ENABLED is false', async () => {
    const other = await startTestGateway({ METRICS_ENABLED: 'false' }, { database: t.database });
    try {
      expect((await fetch(`${other.origin}/metrics`)).status).toBe(404);
    } finally {
      await other.stop();
    }
  });
});
