import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { type Page, PAGES } from './pages';
import { formatResults, formatTargets } from './report';
import { type BenchSettings, measurePage } from './measure-page';
import type { Engine, EngineResult, PageResult } from './results';
import { seed } from './seed';
import { waitForAuditBacklog } from './audit-backlog';
import { BenchServer, canPin, describeNodeFlags, NODE_FLAGS, pin, SERVER_NAMES, type ServerName } from './servers';
import { checkTargets } from './targets';

/**
 * `npm run bench`: the gateway against T1, a floor written for the purpose (bench/floor: bare
 * graphql-js on node:http, hand-written SQL, node:crypto, jose), and T3, the gateway's own
 * resolvers without the policy (bench/serve.ts bare), on the same data, interleaved in one run, on
 * SQLite and on MariaDB (BENCH_MARIADB_URL, default mysql://root@127.0.0.1:3306). Servers run on
 * core 0, the load on core 1. Per page: every server's body is checked (same `data`, same size),
 * each server warmed up, then 7 rounds (2 with --quick) in rotating order, the median reported (the
 * ratios: the median of each round's ratio); then an open loop at half of T1's req/s for T1 and the
 * gateway. Writes bench/last-run.json (a quick or partial run: last-run.dev.json) and exits
 * non-zero when a body is wrong or a target (bench/targets.ts) is missed.
 *
 * Flags: --quick (short windows, few members: for development), --no-targets (report, do not fail
 * on targets; also BENCH_NO_TARGETS=1), --engine=sqlite|mariadb, --pages=me,orders10,…
 */
const args = process.argv.slice(2);
const flag = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const QUICK = args.includes('--quick');
const SETTINGS: BenchSettings = {
  mode: QUICK ? 'quick' : 'full',
  // Seven short rounds rather than three long ones: more pairs for the ratios' medians.
  rounds: QUICK ? 2 : 7,
  seconds: Number(process.env.BENCH_DURATION ?? (QUICK ? 1 : 2)),
  warmupSeconds: QUICK ? 0.5 : 1,
  // Three pairs of 6 s: each window long enough that every server goes through collections of its
  // old generation (over 3 s, one major GC landing in the gateway's window or not decided the p99:
  // 0.93 and 4.91 on the same code), and 18 s per server in all. The max column keeps single
  // stalls visible.
  fixedRateSeconds: QUICK ? 1 : 6,
  fixedRateRounds: QUICK ? 1 : 3,
  connections: 10,
  otherMembers: QUICK ? 3 : 19,
};
const CHECK_TARGETS = !args.includes('--no-targets') && process.env.BENCH_NO_TARGETS !== '1';
const ENGINES: Engine[] = flag('engine') ? [flag('engine') as Engine] : ['sqlite', 'mariadb'];
const PAGE_KEYS = flag('pages')?.split(',');
const MARIADB_SERVER = process.env.BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';
/** A partial or quick run never overwrites the full run's figures. */
const OUTPUT = join(__dirname, '..', '..', 'bench', QUICK || flag('engine') || PAGE_KEYS ? 'last-run.dev.json' : 'last-run.json');

async function main(): Promise<void> {
  pin(process.pid, '1');
  const startedAt = new Date();
  const loadBefore = loadavg();
  const pages = PAGES.filter((page) => !PAGE_KEYS || PAGE_KEYS.includes(page.key));
  const results: EngineResult[] = [];
  for (const engine of ENGINES) results.push(await runEngine(engine, pages));
  const problems = results.flatMap((result) => result.problems.map((problem) => `${result.engine}: ${problem}`));
  const targets = checkTargets(results);
  const load = (averages: number[]) => averages.map((average) => average.toFixed(2)).join(' ');
  const placement = canPin ? 'servers on core 0, load on core 1' : 'unpinned (no taskset)';
  const heading =
    `${SETTINGS.mode} run: per page ${SETTINGS.rounds} interleaved rounds × ${SETTINGS.seconds} s per server (median), ${SETTINGS.connections} connections, ` +
    `${placement}; fixed rate ${SETTINGS.fixedRateRounds} × ${SETTINGS.fixedRateSeconds} s per server, alternating; V8 flags ${describeNodeFlags()}. Load average ${load(loadBefore)} before, ${load(loadavg())} after.`;
  process.stdout.write(`\n${formatResults(results, heading)}\n${formatTargets(targets, problems)}\n`);
  writeFileSync(
    OUTPUT,
    `${JSON.stringify(
      {
        startedAt,
        finishedAt: new Date(),
        commit: commit(),
        note: process.env.BENCH_NOTE ?? null,
        machine: { cpus: cpus().length, node: process.version, pinned: canPin, loadAverageBefore: loadBefore, loadAverageAfter: loadavg() },
        settings: { ...SETTINGS, nodeFlags: NODE_FLAGS },
        results,
        targets,
        problems,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`Wrote ${OUTPUT}\n`);
  const missed = targets.filter((target) => !target.ok);
  process.exitCode = problems.length > 0 || (CHECK_TARGETS && missed.length > 0) ? 1 : 0;
}

async function runEngine(engine: Engine, pages: Page[]): Promise<EngineResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-bench-'));
  const database = `bench_${randomBytes(4).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // The run outlasts the default token lifetime and step-up window; full card numbers must stay readable.
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    STEP_UP_MAX_AGE_SECONDS: '3600',
    DATABASE_POOL_SIZE: String(SETTINGS.connections),
    // Seeding registers more members from 127.0.0.1 than the default hourly limit allows.
    REGISTER_MAX_PER_ADDRESS: '1000',
    // The runner reads the audit backlog from /metrics (bench/audit-backlog.ts).
    METRICS_ENABLED: 'true',
  };
  delete env.METRICS_TOKEN;
  if (engine === 'mariadb') {
    await adminQuery(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    env.DATABASE_URL = `${MARIADB_SERVER}/${database}`;
  } else delete env.DATABASE_URL;
  const servers: BenchServer[] = [];
  const problems: string[] = [];
  try {
    servers.push(await BenchServer.start('gateway', env)); // applies the migrations and writes the keys file the others read
    servers.push(await BenchServer.start('T1', env));
    servers.push(await BenchServer.start('T3', env));
    const byName = Object.fromEntries(servers.map((server) => [server.name, server])) as Record<ServerName, BenchServer>;
    const seeding = performance.now();
    const token = await seed(byName.gateway.url, dataDir, SETTINGS.otherMembers);
    process.stdout.write(`${engine}: seeded ${SETTINGS.otherMembers + 1} members in ${elapsed(seeding)} s\n`);
    const settling = performance.now();
    await waitForAuditBacklog(byName.gateway.url);
    process.stdout.write(`${engine}: the seeding's audit entries chained after ${elapsed(settling)} s\n`);
    const results: PageResult[] = [];
    for (const page of pages) {
      const measuring = performance.now();
      const result = await measurePage(byName, page, token, SETTINGS, problems);
      process.stdout.write(`${engine}: measured ${page.key} in ${elapsed(measuring)} s\n`);
      if (result) results.push(result);
    }
    const peakRssMb = Object.fromEntries(SERVER_NAMES.map((name) => [name, Math.max(0, ...results.map((page) => page.servers[name].peakRssMb))])) as Record<
      ServerName,
      number
    >;
    return { engine, pages: results, peakRssMb, problems };
  } finally {
    for (const server of servers) server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (engine === 'mariadb') await adminQuery(`DROP DATABASE IF EXISTS \`${database}\``);
  }
}

const elapsed = (since: number) => ((performance.now() - since) / 1000).toFixed(0);

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

async function adminQuery(sql: string): Promise<void> {
  const connection = await createConnection({ uri: MARIADB_SERVER, connectTimeout: 5000 });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
