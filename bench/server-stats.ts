import { subscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';

/** What a bench server reports about itself: the runner divides deltas over a measured window by the requests served. */
export interface ServerStats {
  /** HTTP requests received since start (any server in the process). */
  requests: number;
  /** SQL statements run since start. */
  statements: number;
  /** User + system CPU of the whole process (all threads) since start, µs. */
  cpuMicros: number;
  /** Peak resident set size since start or since the runner reset it (BenchServer.resetPeakRss), bytes. */
  maxRssBytes: number;
  /** Resident set size now, bytes. */
  rssBytes: number;
}

/**
 * On SIGUSR2, prints one `STATS {json}` line to stdout (bench/servers.ts reads it). A signal, not an
 * endpoint, so the gateway's own HTTP stack is measured unchanged.
 */
export function reportStatsOnSignal(statements: () => number): void {
  let requests = 0;
  subscribe('http.server.request.start', () => {
    requests += 1;
  });
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage();
    const stats: ServerStats = {
      requests,
      statements: statements(),
      cpuMicros: cpu.user + cpu.system,
      maxRssBytes: peakRss(),
      rssBytes: process.memoryUsage.rss(),
    };
    process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
  });
}

/** VmHWM, which the runner can reset after seeding; getrusage's peak where there is no /proc. */
function peakRss(): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
  } catch {
    return process.resourceUsage().maxRSS * 1024;
  }
}
