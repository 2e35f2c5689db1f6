import type { Engine, EngineResult, PageResult } from './results';
import type { Page } from './pages';

/** A figure the run must reach: issue 13's targets, as ratios in one run (so drift hits all servers alike). */
export interface Target {
  engine: Engine;
  name: string;
  measure: (result: EngineResult) => number | undefined;
  min?: number;
  max?: number;
}

export interface TargetOutcome {
  engine: Engine;
  name: string;
  measured: number | null;
  limit: string;
  ok: boolean;
}

const ALL_PAGES: Page['key'][] = ['me', 'list500', 'orders10', 'orders50'];
const page = (result: EngineResult, key: Page['key']): PageResult | undefined => result.pages.find((p) => p.page === key);

export const TARGETS: Target[] = [
  { engine: 'mariadb', name: 'me: gateway/T1 req/s', measure: (r) => page(r, 'me')?.ratios.gatewayToT1, min: 0.6 },
  { engine: 'mariadb', name: 'orders10: gateway/T1 req/s', measure: (r) => page(r, 'orders10')?.ratios.gatewayToT1, min: 0.5 },
  { engine: 'mariadb', name: 'orders50: gateway/T1 req/s', measure: (r) => page(r, 'orders50')?.ratios.gatewayToT1, min: 0.7 },
  ...ALL_PAGES.map((key): Target => ({ engine: 'mariadb', name: `${key}: gateway/T3 req/s`, measure: (r) => page(r, key)?.ratios.gatewayToT3, min: 0.95 })),
  ...ALL_PAGES.map((key): Target => ({
    engine: 'mariadb',
    name: `${key}: p99 gateway/T1 at half T1's req/s`,
    measure: (r) => page(r, key)?.fixedRate.p99Ratio,
    max: 2,
  })),
  { engine: 'mariadb', name: 'gateway peak RSS (MB)', measure: (r) => r.peakRssMb.gateway, max: 250 },
];

/** Every target of the engines and pages that ran (`--engine`, `--pages` leave some out); a figure that is not a number misses. */
export function checkTargets(results: EngineResult[]): TargetOutcome[] {
  return TARGETS.flatMap((target) => {
    const result = results.find((r) => r.engine === target.engine);
    const measured = result && target.measure(result);
    if (measured === undefined) return [];
    const ok = Number.isFinite(measured) && (target.min === undefined || measured >= target.min) && (target.max === undefined || measured <= target.max);
    return [{ engine: target.engine, name: target.name, measured, limit: target.min !== undefined ? `≥ ${target.min}` : `≤ ${target.max}`, ok }];
  });
}
