import type { FixedRateResult } from './fixed-rate';
import type { Window } from './load';
import type { Page } from './pages';
import type { ServerName } from './servers';

export type Engine = 'sqlite' | 'mariadb';

/** One server on one page: medians over the rounds; CPU and SQL per request over all rounds together. */
export interface ServerFigures {
  rps: number;
  p50: number;
  p99: number;
  cpuMicrosPerRequest: number;
  sqlPerRequest: number;
  /** The process's peak RSS while this page was measured (reset when it began). */
  peakRssMb: number;
  bodyBytes: number;
  rounds: Window[];
}

export interface PageResult {
  page: Page['key'];
  label: string;
  servers: Record<ServerName, ServerFigures>;
  /** Req/s ratios: the median over the rounds of the two servers' ratio in the same round. */
  ratios: { gatewayToT1: number; gatewayToT3: number };
  /**
   * Open loop at half of T1's req/s, in alternating pairs of windows: each server's medians over its
   * windows (its longest latency over all), p99 gateway/T1 as the median of the pairs' ratios, and
   * every window.
   */
  fixedRate: {
    rate: number;
    T1: FixedRateResult;
    gateway: FixedRateResult;
    p99Ratio: number;
    rounds: { T1: FixedRateResult[]; gateway: FixedRateResult[] };
  };
}

export interface EngineResult {
  engine: Engine;
  pages: PageResult[];
  /** Each process's highest page peak: the measured load's, not seeding's. */
  peakRssMb: Record<ServerName, number>;
  /** Wrong bodies, failed requests: each one fails the run. */
  problems: string[];
}
