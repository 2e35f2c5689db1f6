import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { signDevStaffToken } from '../src/auth/dev-staff-token';
import { readOrCreateKeyFile } from '../src/secrets';

/**
 * `npm run bench`: the gateway against its baseline (bench/serve.ts `bare`: the same resolvers,
 * data and HTTP stack with no policy) in one run. Servers are pinned to core 0, the load
 * generator to core 1; each query is warmed up, then measured in 3 interleaved rounds, and the
 * median is reported. Every response body is checked. Exits non-zero if a body was wrong or a
 * ratio missed its target.
 */
const ROUNDS = 3;
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 8);
const WARMUP_SECONDS = 3;
const CONNECTIONS = 10;
const TARGET_RATIO = 0.85;
const LIST_ROWS = 500;

interface Server {
  name: 'bare' | 'gateway';
  url: string;
  child: ChildProcess;
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
}

const QUERIES = {
  'storefront me': '{ me { id memberName phone contactName contactAddress birthDate isMinor createdAt } }',
  [`${LIST_ROWS}-row list (AuditEntry, 7 classified fields)`]: `{ me { accessLog(first: ${LIST_ROWS}) { edges { node { id at actorKind actorId field category outcome purpose } } } } }`,
};

async function main(): Promise<void> {
  pin(process.pid, '1');
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  const servers: Server[] = [];
  try {
    servers.push(await start('gateway', env)); // runs the migrations first
    servers.push(await start('bare', env));
    const gateway = servers[0]!;
    const token = await seed(gateway.url, dataDir);

    const results: Array<{ query: string; samples: Record<Server['name'], Sample[]> }> = [];
    let failed = false;
    for (const [label, query] of Object.entries(QUERIES)) {
      const body = JSON.stringify({ query });
      const expected = await post(gateway.url, body, token);
      for (const server of servers) {
        const got = await post(server.url, body, token);
        if (got !== expected) throw new Error(`${server.name} answers "${label}" differently from the gateway`);
      }
      const samples: Record<Server['name'], Sample[]> = { bare: [], gateway: [] };
      for (const server of servers) await load(server.url, body, token, expected, WARMUP_SECONDS);
      for (let round = 0; round < ROUNDS; round += 1) {
        const order = round % 2 === 0 ? servers : [...servers].reverse();
        for (const server of order) {
          const result = await load(server.url, body, token, expected, DURATION_SECONDS);
          if (result.mismatches > 0 || result.non2xx > 0 || result.errors > 0) {
            failed = true;
            process.stdout.write(`! ${server.name} ${label}: ${result.mismatches} wrong bodies, ${result.non2xx} non-2xx, ${result.errors} errors\n`);
          }
          samples[server.name].push({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
        }
      }
      results.push({ query: label, samples });
    }

    process.stdout.write(`\nmedian of ${ROUNDS} interleaved rounds, ${DURATION_SECONDS}s each, ${CONNECTIONS} connections, SQLite; servers on core 0, load on core 1\n\n`);
    process.stdout.write(`${'query'.padEnd(48)} ${'bare req/s'.padStart(11)} ${'gw req/s'.padStart(9)} ${'ratio'.padStart(6)}  ${'bare p50/p99 ms'.padStart(15)}  ${'gw p50/p99 ms'.padStart(13)}\n`);
    for (const { query, samples } of results) {
      const bare = median(samples.bare);
      const gw = median(samples.gateway);
      const ratio = gw.rps / bare.rps;
      if (ratio < TARGET_RATIO) failed = true;
      process.stdout.write(
        `${query.padEnd(48)} ${bare.rps.toFixed(0).padStart(11)} ${gw.rps.toFixed(0).padStart(9)} ${ratio.toFixed(2).padStart(6)}  ${`${bare.p50}/${bare.p99}`.padStart(15)}  ${`${gw.p50}/${gw.p99}`.padStart(13)}  ${ratio >= TARGET_RATIO ? 'ok' : `below ${TARGET_RATIO}`}\n`,
      );
    }
    const memory = servers.map((server) => `${server.name} ${memoryOf(server.child.pid!)}`).join(', ');
    process.stdout.write(`\nmemory (peak RSS / RSS): ${memory}\n`);
    process.exitCode = failed ? 1 : 0;
  } finally {
    for (const server of servers) server.child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
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
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /READY (\S+)/.exec(output);
      if (match) resolve({ name, url: match[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`${name} server exited with ${code}`)));
  });
}

async function post(url: string, body: string, token: string): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  return response.text();
}

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const result = (await response.json()) as { data?: any; errors?: unknown };
  if (result.errors) throw new Error(`seeding failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** A member with a full profile and more than LIST_ROWS access-log entries (support reads). */
async function seed(url: string, dataDir: string): Promise<string> {
  const { register } = await gql(url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken member { id } } }', {
    i: { memberName: 'bench_member', password: 'Bench-Password-1', phone: '13800138000', contactName: 'Li Lei', contactAddress: 'No. 1 Nanjing Road, Huangpu District, Shanghai', birthDate: '1990-05-17', consents: ['MEMBERSHIP'] },
  });
  const support = await signDevStaffToken(readOrCreateKeyFile(dataDir).devStaffKey, { role: 'SUPPORT', subject: 'bench-agent' });
  const readsPerRequest = 6; // memberName, phone, contactName, contactAddress, birthDate, createdAt
  for (let i = 0; i * readsPerRequest < LIST_ROWS + readsPerRequest; i += 1) {
    await gql(url, 'query($id: ID!, $p: String!) { member(id: $id, purpose: $p) { memberName phone contactName contactAddress birthDate createdAt } }', { id: register.member.id, p: `TICKET-${i}` }, support);
  }
  return register.accessToken as string;
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
