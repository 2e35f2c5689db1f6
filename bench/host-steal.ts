import { readFileSync } from 'node:fs';

/** A core's CPU time counters from /proc/stat, in clock ticks. */
export interface CoreTimes {
  steal: number;
  total: number;
}

/**
 * The counters of core `core` (the servers' core), or undefined off Linux. Steal is time the
 * hypervisor gave this virtual CPU to another guest: a window with much of it measured the host's
 * neighbours as much as the server, so each window records it next to its req/s.
 */
export function coreTimes(core: number): CoreTimes | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const line = stat.split('\n').find((row) => row.startsWith(`cpu${core} `));
  if (!line) return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return { steal: ticks[7] ?? 0, total: ticks.reduce((sum, value) => sum + value, 0) };
}

/** Steal between two readings, in per cent of the core's time; undefined when either is missing. */
export function stealPercent(before: CoreTimes | undefined, after: CoreTimes | undefined): number | undefined {
  if (!before || !after || after.total <= before.total) return undefined;
  return (100 * (after.steal - before.steal)) / (after.total - before.total);
}
