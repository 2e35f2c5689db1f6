import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fragmentBomb, meBomb, ordersBomb, placeOrderBomb, recommendationsBomb, stepUpBomb } from './bombs';

/**
 * `node dist/bench/hostile.js`: sends each bomb of issue 10 to a fresh gateway process (SQLite) and
 * prints wall time, the process's peak memory growth, response size and outcome, and the slowest
 * /healthz answer while the bomb ran. Run after `npm run build`. A bound, not a benchmark.
 */
const PASSWORD = 'Correct-Horse-9';
const ORDERS = Number(process.env.BOMB_ORDERS ?? 10);
const TIMEOUT_MS = Number(process.env.BOMB_TIMEOUT_MS ?? 120_000);

interface Bomb {
  name: string;
  query: () => string;
  member: boolean;
  variables?: Record<string, unknown>;
}

const order = {
  items: [{ productId: 'sku-1', name: 'Running shoe', spec: 'EU 42', quantity: 1, unitPrice: 29900 }],
  consignee: 'Wang Xiaoming',
  deliveryAddress: 'Room 1802, Tower B, Futian District, Shenzhen',
  consigneePhone: '13912345678',
  payment: { method: 'CARD', cardNumber: '4111111111111111' },
};

const BOMBS: Bomb[] = [
  { name: '80 KB fragment bomb (anonymous)', query: fragmentBomb, member: false },
  { name: `20 x orders(first:100) x 60 items x 60 name (${ORDERS} orders)`, query: ordersBomb, member: true },
  { name: '3000 x me { phone }', query: meBomb, member: true },
  { name: '1000 x recommendations(first: 50)', query: recommendationsBomb, member: true },
  { name: '20 x stepUp', query: stepUpBomb, member: true, variables: { p: PASSWORD } },
  { name: '200 x placeOrder', query: placeOrderBomb, member: true, variables: { input: order } },
];

async function main(): Promise<void> {
  const only = process.argv[2];
  for (const bomb of BOMBS.filter((_, i) => only === undefined || String(i) === only)) {
    const gateway = await startGateway();
    try {
      seedPolicy(gateway.dataDir);
      const token = bomb.member ? await member(gateway.url) : undefined;
      await fetch(gateway.url.replace('/graphql', '/healthz'));
      const before = memory(gateway.child.pid!);
      writeFileSync(`/proc/${gateway.child.pid}/clear_refs`, '5'); // resets the peak (VmHWM)
      let slowestHealth = 0;
      let running = true;
      const probe = (async () => {
        while (running) {
          const started = performance.now();
          // A fresh connection each time: a kept-alive one may be reset while the process is blocked.
          await fetch(gateway.url.replace('/graphql', '/healthz'), { headers: { connection: 'close' } }).catch(() => undefined);
          slowestHealth = Math.max(slowestHealth, performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const started = performance.now();
      let outcome: string;
      let bytes = 0;
      try {
        const response = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query: bomb.query(), variables: bomb.variables ?? {} }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const text = await response.text();
        bytes = text.length;
        const body = JSON.parse(text) as { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> };
        const first = body.errors?.[0]?.extensions;
        outcome = `HTTP ${response.status} ${first ? `${String(first.code)} ${String(first.reason ?? '')} limit=${String(first.limit ?? '')} measured=${String(first.measured ?? '')}` : 'data'}${body.errors ? ` (${body.errors.length} errors)` : ''}`;
      } catch (error) {
        outcome = `no answer: ${(error as Error).name}`;
      }
      const ms = performance.now() - started;
      running = false;
      await probe;
      const after = memory(gateway.child.pid!);
      process.stdout.write(
        `${bomb.name}\n  ${ms.toFixed(0)} ms, peak RSS ${mb(after.peak)} MB (+${mb(after.peak - before.rss)} MB over ${mb(before.rss)} MB), response ${(bytes / 1e6).toFixed(2)} MB, slowest /healthz ${slowestHealth.toFixed(0)} ms\n  ${outcome}\n`,
      );
    } finally {
      gateway.stop();
    }
  }
}

function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)![1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(0);

async function startGateway(): Promise<{ url: string; dataDir: string; child: ChildProcess; stop(): void }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hostile-'));
  const child = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js')], {
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', PASSWORD_HASH_COST: '14' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"url":"([^"]+)"/.exec(buffer);
      if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${String(code)}`)));
  });
  child.stdout!.resume();
  return {
    url,
    dataDir,
    child,
    stop() {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** One published policy version with a short text (a real one is ~20 KB: the bomb would be far larger). */
function seedPolicy(dataDir: string): void {
  const db = new Database(join(dataDir, 'gateway.sqlite'));
  db.prepare('INSERT INTO privacy_policy (version, seq, material, summary, text, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    '2026-01',
    1,
    0,
    'Summary',
    'x'.repeat(100),
    '2026-01-01 00:00:00.000',
    'bench',
  );
  db.close();
}

async function member(url: string): Promise<string> {
  const input = {
    memberName: 'bomb_member',
    password: PASSWORD,
    phone: '13900001111',
    contactName: 'Li Lei',
    contactAddress: 'No. 1 Nanjing Road',
    birthDate: '1990-05-17',
    consents: ['MEMBERSHIP'],
  };
  const { register } = await gql(url, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', { input });
  for (let i = 0; i < ORDERS; i += 1)
    await gql(url, 'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }', { input: order }, register.accessToken);
  // 50 products with events, so that recommendations(first: 50) has 50 to rank.
  for (let i = 0; i < 50; i += 1)
    await gql(
      url,
      'mutation($input: BrowsingInput!) { recordBrowsing(input: $input) }',
      { input: { kind: 'COLLECT', productId: `sku-${i}` } },
      register.accessToken,
    );
  return register.accessToken as string;
}

void main();
