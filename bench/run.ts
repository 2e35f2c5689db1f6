import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createConnection } from 'mysql2/promise';
import { signDevStaffToken } from '../src/auth/dev-staff-token';
import { readOrCreateKeyFile } from '../src/secrets';

/**
 * `npm run bench`: the gateway against its baseline (bench/serve.ts `bare`: the same resolvers,
 * data and HTTP stack with no policy) in one run. Servers are pinned to core 0, the load
 * generator to core 1; each query is warmed up, then measured in 3 interleaved rounds, and the
 * median is reported with SQL statements per request. Every response body is checked. Exits
 * non-zero if a body was wrong or a targeted ratio was missed.
 *
 * Scenarios: on embedded SQLite, the storefront `me` query and a 500-row list of a classified
 * type (target ratio 0.85); on MariaDB (BENCH_MARIADB_URL, default mysql://root@127.0.0.1:3306),
 * the storefront page with 50 orders × 3 items and 200 history rows, among many members.
 */
const ROUNDS = 3;
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 8);
const WARMUP_SECONDS = 3;
const CONNECTIONS = 10;
const LIST_ROWS = 500;
const MARIADB_SERVER = process.env.BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

interface Server {
  name: 'bare' | 'gateway';
  url: string;
  child: ChildProcess;
  lines: string[];
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
}

interface Query {
  label: string;
  query: string;
  /** Ratio gateway/bare below which the run fails; undefined: reported only. */
  target?: number;
}

interface Scenario {
  name: string;
  databaseUrl?: string;
  seed: (url: string, dataDir: string) => Promise<string>;
  queries: Query[];
  drop?: () => Promise<void>;
}

const STOREFRONT = `{ me {
  orders(first: 50) { edges { node { number status total placedAt consignee deliveryAddress consigneePhone items { productId name spec quantity unitPrice } payment { method cardNumber } shipment { carrier trackingNumber } } } }
  browsingHistory(first: 200) { edges { node { kind url query productId occurredAt device { model osVersion } } } }
  devices { model osVersion ipAddress lastSeenAt }
} }`;

async function main(): Promise<void> {
  pin(process.pid, '1');
  const mariadbName = `bench_${randomBytes(4).toString('hex')}`;
  const scenarios: Scenario[] = [
    {
      name: 'SQLite (embedded default)',
      seed: seedAccessLog,
      queries: [
        { label: 'storefront me', query: '{ me { id memberName phone contactName contactAddress birthDate isMinor createdAt } }', target: 0.85 },
        {
          label: `${LIST_ROWS}-row list (AuditEntry, 7 classified fields)`,
          query: `{ me { accessLog(first: ${LIST_ROWS}) { edges { node { id at actorKind actorId field category outcome purpose } } } } }`,
          target: 0.85,
        },
      ],
    },
    {
      name: 'MariaDB',
      databaseUrl: `${MARIADB_SERVER}/${mariadbName}`,
      seed: seedStorefront,
      queries: [{ label: 'storefront page: 50 orders x 3 items, 200 history rows', query: STOREFRONT }],
      drop: () => adminQuery(`DROP DATABASE IF EXISTS \`${mariadbName}\``),
    },
  ];
  let failed = false;
  const report: string[] = [];
  for (const scenario of scenarios) {
    if (scenario.databaseUrl) await adminQuery(`CREATE DATABASE \`${mariadbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    try {
      const result = await runScenario(scenario);
      failed ||= result.failed;
      report.push(...result.lines);
    } finally {
      await scenario.drop?.();
    }
  }
  process.stdout.write(`\n${report.join('\n')}\n`);
  process.exitCode = failed ? 1 : 0;
}

async function runScenario(scenario: Scenario): Promise<{ failed: boolean; lines: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // The bench runs longer than the default step-up window; full card numbers must stay readable.
    STEP_UP_MAX_AGE_SECONDS: '3600',
    DATABASE_POOL_SIZE: '10',
    // Seeding registers more members from 127.0.0.1 than the default hourly limit allows.
    REGISTER_MAX_PER_ADDRESS: '1000',
  };
  if (scenario.databaseUrl) env.DATABASE_URL = scenario.databaseUrl;
  else delete env.DATABASE_URL;
  const servers: Server[] = [];
  let failed = false;
  const lines = [
    `${scenario.name}: median of ${ROUNDS} interleaved rounds, ${DURATION_SECONDS}s each, ${CONNECTIONS} connections; servers on core 0, load on core 1`,
  ];
  lines.push(
    `  ${'query'.padEnd(56)} ${'bare req/s'.padStart(10)} ${'gw req/s'.padStart(9)} ${'ratio'.padStart(6)} ${'bare p50/p99'.padStart(13)} ${'gw p50/p99'.padStart(11)} ${'SQL/req bare,gw'.padStart(16)}`,
  );
  try {
    servers.push(await start('gateway', env)); // runs the migrations first
    servers.push(await start('bare', env));
    const gateway = servers[0]!;
    process.stdout.write(`${scenario.name}: seeding…\n`);
    const token = await scenario.seed(gateway.url, dataDir);
    for (const { label, query, target } of scenario.queries) {
      const body = JSON.stringify({ query });
      const expected = await post(gateway.url, body, token);
      if (expected.includes('"errors"')) throw new Error(`"${label}" fails on the gateway: ${expected.slice(0, 300)}`);
      const statements: Record<Server['name'], number> = { bare: 0, gateway: 0 };
      for (const server of servers) {
        const got = await post(server.url, body, token);
        if (got !== expected) {
          const where = [...got].findIndex((char, index) => char !== expected[index]);
          throw new Error(
            `${server.name} answers "${label}" differently from the gateway, from character ${where}: ${got.slice(Math.max(0, where - 80), where + 80)} vs ${expected.slice(Math.max(0, where - 80), where + 80)}`,
          );
        }
        statements[server.name] = await statementsPerRequest(server, body, token);
      }
      const samples: Record<Server['name'], Sample[]> = { bare: [], gateway: [] };
      for (const server of servers) await load(server.url, body, token, expected, WARMUP_SECONDS);
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const server of round % 2 === 0 ? servers : [...servers].reverse()) {
          const result = await load(server.url, body, token, expected, DURATION_SECONDS);
          if (result.mismatches > 0 || result.non2xx > 0 || result.errors > 0) {
            failed = true;
            lines.push(`  ! ${server.name} ${label}: ${result.mismatches} wrong bodies, ${result.non2xx} non-2xx, ${result.errors} errors`);
          }
          samples[server.name].push({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
        }
      }
      const bare = median(samples.bare);
      const gw = median(samples.gateway);
      const ratio = gw.rps / bare.rps;
      const verdict = target === undefined ? '' : ratio >= target ? `  ok (target ${target})` : `  BELOW target ${target}`;
      if (target !== undefined && ratio < target) failed = true;
      lines.push(
        `  ${label.padEnd(56)} ${bare.rps.toFixed(0).padStart(10)} ${gw.rps.toFixed(0).padStart(9)} ${ratio.toFixed(2).padStart(6)} ${`${bare.p50}/${bare.p99}`.padStart(13)} ${`${gw.p50}/${gw.p99}`.padStart(11)} ${`${statements.bare},${statements.gateway}`.padStart(16)}${verdict}`,
      );
    }
    lines.push(`  memory, peak RSS / RSS: ${servers.map((server) => `${server.name} ${memoryOf(server.child.pid!)}`).join(', ')}`);
  } finally {
    for (const server of servers) server.child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { failed, lines };
}

function pin(pid: number, cores: string): void {
  try {
    execFileSync('taskset', ['-pc', cores, String(pid)], { stdio: 'ignore' });
  } catch {
    process.stdout.write('(taskset unavailable: running unpinned)\n');
  }
}

function start(name: Server['name'], env: NodeJS.ProcessEnv): Promise<Server> {
  const child = spawn('taskset', ['-c', '0', process.execPath, join(__dirname, 'serve.js'), name], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const complete = buffer.split('\n');
      buffer = complete.pop()!;
      for (const line of complete) {
        lines.push(line);
        const ready = /^READY (\S+)/.exec(line);
        if (ready) resolve({ name, url: ready[1]!, child, lines });
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} server exited with ${code}`)));
  });
}

/** Asks the server how many statements it ran, runs `count` requests one by one, asks again. */
async function statementsPerRequest(server: Server, body: string, token: string, count = 10): Promise<number> {
  const read = async () => {
    const seen = server.lines.length;
    server.child.kill('SIGUSR2');
    for (let i = 0; i < 100 && !server.lines.slice(seen).some((line) => line.startsWith('STATEMENTS')); i += 1) await new Promise((r) => setTimeout(r, 10));
    return Number(
      server.lines
        .slice(seen)
        .find((line) => line.startsWith('STATEMENTS'))!
        .split(' ')[1],
    );
  };
  const before = await read();
  for (let i = 0; i < count; i += 1) await post(server.url, body, token);
  return Math.round(((await read()) - before) / count);
}

async function post(url: string, body: string, token?: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return response.text();
}

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const result = JSON.parse(await post(url, JSON.stringify({ query, variables }), token)) as { data?: any; errors?: unknown };
  if (result.errors) throw new Error(`seeding failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

async function register(url: string, name: string, phone: string): Promise<{ token: string; id: string }> {
  const { register: payload } = await gql(url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken member { id } } }', {
    i: {
      memberName: name,
      password: 'Bench-Password-1',
      phone,
      contactName: 'Li Lei',
      contactAddress: 'No. 1 Nanjing Road, Huangpu District, Shanghai',
      birthDate: '1990-05-17',
      consents: ['MEMBERSHIP'],
    },
  });
  return { token: payload.accessToken, id: payload.member.id };
}

/** A member with a full profile and more than LIST_ROWS access-log entries (support reads). */
async function seedAccessLog(url: string, dataDir: string): Promise<string> {
  const member = await register(url, 'bench_member', '13800138000');
  const support = await signDevStaffToken(readOrCreateKeyFile(dataDir).devStaffKey, { role: 'SUPPORT', subject: 'bench-agent' });
  const readsPerRequest = 6; // memberName, phone, contactName, contactAddress, birthDate, createdAt
  for (let i = 0; i * readsPerRequest < LIST_ROWS + readsPerRequest; i += 1) {
    await gql(
      url,
      'query($id: ID!, $p: String!) { member(id: $id, purpose: $p) { memberName phone contactName contactAddress birthDate createdAt } }',
      { id: member.id, p: `TICKET-${i}` },
      support,
    );
  }
  return member.token;
}

/** 30 members with orders and history; the measured one has 50 orders × 3 items and 200 history rows. */
async function seedStorefront(url: string, dataDir: string): Promise<string> {
  const support = await signDevStaffToken(readOrCreateKeyFile(dataDir).devStaffKey, { role: 'SUPPORT', subject: 'bench-agent' });
  let measured = '';
  for (let m = 0; m < 30; m += 1) {
    const member = await register(url, `bench_member_${m}`, `1380013${String(8000 + m).padStart(4, '0')}`);
    const orders = m === 0 ? 50 : 5;
    const events = m === 0 ? 200 : 20;
    for (let o = 0; o < orders; o += 1) {
      const { placeOrder } = await gql(
        url,
        'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }',
        {
          i: {
            items: [1, 2, 3].map((n) => ({ productId: `sku-${(o + n) % 40}`, name: `Product ${n}`, spec: 'M', quantity: n, unitPrice: 1999 })),
            consignee: 'Wang Xiaoming',
            deliveryAddress: 'Room 1802, Tower B, Futian District, Shenzhen',
            consigneePhone: '13912345678',
            payment: { method: 'CARD', cardNumber: '4111111111111111' },
          },
        },
        member.token,
      );
      if (o % 2 === 0)
        await gql(
          url,
          'mutation($id: ID!) { shipOrder(orderId: $id, carrier: "sf-express", trackingNumber: "SF0000000001") { id } }',
          { id: placeOrder.id },
          support,
        );
    }
    for (let e = 0; e < events; e += 1) {
      const kind = ['PAGE_VIEW', 'SEARCH', 'COLLECT', 'CART_ADD'][e % 4]!;
      const subject = kind === 'PAGE_VIEW' ? { url: `/products/sku-${e % 40}` } : kind === 'SEARCH' ? { query: `shoes ${e}` } : { productId: `sku-${e % 40}` };
      await gql(
        url,
        'mutation($i: BrowsingInput!) { recordBrowsing(input: $i) }',
        { i: { kind, ...subject, device: { deviceIdentifier: `device-${e % 3}`, model: 'Pixel 9', osVersion: 'Android 16' } } },
        member.token,
      );
    }
    if (m === 0) measured = member.token;
  }
  return measured;
}

async function adminQuery(sql: string): Promise<void> {
  const connection = await createConnection({ uri: MARIADB_SERVER, connectTimeout: 5000 });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

function load(url: string, body: string, token: string, expectBody: string, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
    expectBody,
    connections: CONNECTIONS,
    duration,
  });
}

function median(samples: Sample[]): Sample {
  const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { rps: middle(samples.map((s) => s.rps)), p50: middle(samples.map((s) => s.p50)), p99: middle(samples.map((s) => s.p99)) };
}

function memoryOf(pid: number): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  // The child is `taskset`, which execs node: same pid.
  return `${(kb('VmHWM') / 1024).toFixed(0)}/${(kb('VmRSS') / 1024).toFixed(0)} MiB`;
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
