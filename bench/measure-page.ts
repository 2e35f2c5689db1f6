import { waitForAuditBacklog } from './audit-backlog';
import { checkBodies } from './check-bodies';
import { fixedRate, type FixedRateResult } from './fixed-rate';
import { coreTimes, stealPercent } from './host-steal';
import { closedLoop, type Window } from './load';
import { median } from './median';
import type { Page } from './pages';
import type { PageResult, ServerFigures } from './results';
import { type BenchServer, SERVER_CORE, SERVER_NAMES, type ServerName } from './servers';
import type { ServerStats } from './server-stats';

export interface BenchSettings {
  mode: 'full' | 'quick';
  rounds: number;
  /** One measured window. */
  seconds: number;
  warmupSeconds: number;
  /** One open-loop window, and how many pairs of them (T1 then the gateway, alternating which goes first). */
  fixedRateSeconds: number;
  fixedRateRounds: number;
  connections: number;
  /** Members besides the measured one. */
  otherMembers: number;
}

interface Measured {
  window: Window;
  before: ServerStats;
  after: ServerStats;
}

/**
 * One page on the three servers: bodies checked, each server warmed up, `rounds` closed-loop
 * windows per server in rotating order, then (once the gateway has chained the closed loop's audit
 * entries) pairs of open-loop windows at half of T1's req/s for T1 and the gateway. Undefined when
 * a body is wrong (added to `problems`, as are wrong answers under load).
 */
export async function measurePage(
  servers: Record<ServerName, BenchServer>,
  page: Page,
  token: string,
  settings: BenchSettings,
  problems: string[],
): Promise<PageResult | undefined> {
  const body = JSON.stringify({ query: page.query });
  const expected = await checkBodies(servers, page, body, token, problems);
  if (!expected) return undefined;

  // Peaks per page, of the measured load only (seeding's registrations hash passwords with scrypt's large buffers).
  for (const name of SERVER_NAMES) servers[name].resetPeakRss();
  const run = (name: ServerName, seconds: number) => closedLoop(servers[name].url, body, token, expected[name], seconds, settings.connections);
  for (const name of SERVER_NAMES) await run(name, settings.warmupSeconds);
  const windows: Record<ServerName, Measured[]> = { T1: [], T3: [], gateway: [] };
  for (let round = 0; round < settings.rounds; round += 1) {
    // Rotating order: each server takes each position once in three rounds, so drift hits all alike.
    for (const name of SERVER_NAMES.map((_, i) => SERVER_NAMES[(i + round) % SERVER_NAMES.length]!)) {
      const before = await servers[name].idleStats();
      const core = coreTimes(SERVER_CORE);
      const window = await run(name, settings.seconds);
      const steal = stealPercent(core, coreTimes(SERVER_CORE));
      if (steal !== undefined) window.stealPercent = steal;
      const after = await servers[name].idleStats();
      if (window.wrong > 0) problems.push(`${page.key}: ${name} gave ${window.wrong} wrong answers under load`);
      windows[name].push({ window, before, after });
    }
  }
  const figures = Object.fromEntries(SERVER_NAMES.map((name) => [name, figuresOf(windows[name], expected[name])])) as Record<ServerName, ServerFigures>;

  const rate = figures.T1.rps / 2;
  const open = async (name: ServerName) => {
    const result = await fixedRate(servers[name].url, body, token, expected[name], rate, settings.fixedRateSeconds, settings.connections);
    if (result.wrong > 0) problems.push(`${page.key}: ${name} gave ${result.wrong} wrong answers or failed requests at a fixed rate`);
    return result;
  };
  // The closed loop left the gateway tens of thousands of audit entries to chain (the 10-order
  // page writes ten per request at full speed); chained during the open loop, that backlog, not
  // the rate asked for, set the gateway's latency (p50 1-2 s in two windows, 13 ms in the third).
  // The open loop's own entries are chained while it runs, as they would be at that rate.
  await waitForAuditBacklog(servers.gateway.url);
  // Alternating pairs, like the closed loop's rounds: a slower stretch of the host (or of the shared
  // database's background work) hits both windows of a pair, and the ratio is the pairs' median.
  const fixed: Record<'T1' | 'gateway', FixedRateResult[]> = { T1: [], gateway: [] };
  for (let round = 0; round < settings.fixedRateRounds; round += 1) {
    for (const name of round % 2 === 0 ? (['T1', 'gateway'] as const) : (['gateway', 'T1'] as const)) fixed[name].push(await open(name));
  }
  for (const name of SERVER_NAMES) figures[name].peakRssMb = (await servers[name].stats()).maxRssBytes / 1024 / 1024;
  return {
    page: page.key,
    label: page.label,
    servers: figures,
    ratios: { gatewayToT1: pairedRatio(windows.gateway, windows.T1), gatewayToT3: pairedRatio(windows.gateway, windows.T3) },
    fixedRate: {
      rate,
      T1: acrossWindows(fixed.T1),
      gateway: acrossWindows(fixed.gateway),
      p99Ratio: median(fixed.gateway.map((gateway, round) => gateway.p99 / fixed.T1[round]!.p99)),
      rounds: fixed,
    },
  };
}

/** Medians over the rounds; CPU and statements per request over all rounds, by the server's own request count. */
function figuresOf(measured: Measured[], body: string): ServerFigures {
  // The server's count: requests cut off when the load stopped did their work too.
  const delta = (key: keyof ServerStats) => measured.reduce((sum, m) => sum + (m.after[key] - m.before[key]), 0);
  const requests = delta('requests');
  return {
    rps: median(measured.map((m) => m.window.rps)),
    p50: median(measured.map((m) => m.window.p50)),
    p99: median(measured.map((m) => m.window.p99)),
    cpuMicrosPerRequest: delta('cpuMicros') / requests,
    sqlPerRequest: delta('statements') / requests,
    peakRssMb: 0, // set once the fixed-rate runs are done too
    bodyBytes: Buffer.byteLength(body),
    rounds: measured.map((m) => m.window),
  };
}

/**
 * The median over the rounds of one server's req/s over another's in the same round. The two
 * windows of a round are seconds apart, so a slower stretch of the machine (another tenant's load
 * shows as steal time) hits both; medians taken per server first pair one server's fast round with
 * the other's slow one.
 */
function pairedRatio(server: Measured[], other: Measured[]): number {
  return median(server.map((measured, round) => measured.window.rps / other[round]!.window.rps));
}

/** One server's open-loop windows in one line: medians of the rates and percentiles, the longest latency, counts summed. */
function acrossWindows(windows: FixedRateResult[]): FixedRateResult {
  const of = (key: 'achieved' | 'p50' | 'p99') => median(windows.map((window) => window[key]));
  return {
    rate: windows[0]!.rate,
    achieved: of('achieved'),
    p50: of('p50'),
    p99: of('p99'),
    max: Math.max(...windows.map((window) => window.max)),
    unanswered: windows.reduce((sum, window) => sum + window.unanswered, 0),
    wrong: windows.reduce((sum, window) => sum + window.wrong, 0),
  };
}
