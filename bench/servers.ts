import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerStats } from './server-stats';

/** T1: the floor (bench/floor); T3: the same resolvers as the gateway without the policy (serve.ts bare); the gateway. */
export type ServerName = 'T1' | 'T3' | 'gateway';
export const SERVER_NAMES: readonly ServerName[] = ['T1', 'T3', 'gateway'];

const ENTRY: Record<ServerName, string[]> = {
  T1: [join(__dirname, 'floor', 'main.js')],
  T3: [join(__dirname, 'serve.js'), 'bare'],
  gateway: [join(__dirname, 'serve.js'), 'gateway'],
};

/**
 * V8 settings of each server: the gateway and T3 (the gateway without its policy) run with those
 * `npm start` gives the gateway (package.json), so the bench measures the gateway as it is started;
 * the floor runs with Node's defaults. BENCH_NODE_FLAGS_T1 gives the floor flags of its own.
 */
const START_FLAGS = startFlags();
export const NODE_FLAGS: Record<ServerName, string[]> = {
  T1: (process.env.BENCH_NODE_FLAGS_T1 ?? '').split(' ').filter(Boolean),
  T3: START_FLAGS,
  gateway: START_FLAGS,
};

/** "T1 (none), T3 and gateway --a --b" for the report's heading. */
export function describeNodeFlags(): string {
  return SERVER_NAMES.map((name) => `${name} ${NODE_FLAGS[name].join(' ') || '(none)'}`).join(', ');
}

function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: { start: string } };
  return scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

export const PROFILE_DIR = join(tmpdir(), 'bench-cpu-prof');

/** The core the servers run on (when they can be pinned); the load runs on the next one. */
export const SERVER_CORE = 0;

/** Whether `taskset` can pin processes here (servers to core 0, the load to core 1). */
export const canPin = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Pins a running process (the runner itself) to `cores`. */
export function pin(pid: number, cores: string): void {
  if (canPin) execFileSync('taskset', ['-pc', cores, String(pid)], { stdio: 'ignore' });
}

/** One server process on core 0, started with the runner's environment for its engine. */
export class BenchServer {
  private readonly waiting: Array<(stats: ServerStats) => void> = [];

  private constructor(
    readonly name: ServerName,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  /** Starts it and resolves when it prints `READY <url>`. */
  static start(name: ServerName, env: NodeJS.ProcessEnv): Promise<BenchServer> {
    // BENCH_CPU_PROF=T1,gateway: those servers write a V8 CPU profile when stopped.
    const profile = (process.env.BENCH_CPU_PROF ?? '').split(',').includes(name) ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [];
    const node = [process.execPath, ...NODE_FLAGS[name], ...profile, ...ENTRY[name]];
    const command = canPin ? ['taskset', '-c', String(SERVER_CORE), ...node] : node;
    const child = spawn(command[0]!, command.slice(1), { env, stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise((resolve, reject) => {
      let server: BenchServer | undefined;
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          const ready = /^READY (\S+)/.exec(line);
          if (ready && !server) resolve((server = new BenchServer(name, ready[1]!, child)));
          if (line.startsWith('STATS ')) server?.waiting.shift()?.(JSON.parse(line.slice(6)) as ServerStats);
        }
      });
      child.once('exit', (code) => reject(new Error(`${name} server exited with ${code}`)));
    });
  }

  /** Its statement count, CPU time and memory now (asked by signal; answered between requests). */
  stats(): Promise<ServerStats> {
    return new Promise((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error(`${this.name} did not report its stats`)), 10_000);
      this.waiting.push((stats) => {
        clearTimeout(timeout);
        resolve(stats);
      });
      this.child.kill('SIGUSR2');
    });
  }

  /** Its stats once it is idle: requests still in flight when the load stopped have finished (no change over 20 ms). */
  async idleStats(): Promise<ServerStats> {
    let last = await this.stats();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const now = await this.stats();
      if (now.requests === last.requests && now.statements === last.statements) return now;
      last = now;
    }
  }

  /** Starts its peak RSS afresh (Linux: VmHWM), so the peak reported is the measured load's, not seeding's. */
  resetPeakRss(): void {
    try {
      writeFileSync(`/proc/${this.child.pid}/clear_refs`, '5'); // the child is taskset, which execs node: same pid
    } catch {
      // no /proc: the peak then covers the process's whole life
    }
  }

  stop(): void {
    this.child.kill();
  }
}
