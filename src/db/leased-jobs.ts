import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { describeError, type Logger } from '../logger';
import { JobLeaseEntity } from './job-lease.entity';
import { JobLease } from './job-lease';

export interface LeasedJob {
  /** The job's lease in `job_lease`: one row per job. */
  name: string;
  /** How often the job runs across all instances together. */
  everyMs: number;
  /** On a database that never ran the job: true waits one period (retention), false runs at the first tick. */
  waitFirstPeriod?: boolean;
  /** The work; `signal` aborts when the gateway stops, so a long round can end between items. */
  run(signal: AbortSignal): Promise<unknown>;
}

/** One job's part in a tick: not due or held elsewhere (`ran: false`), done, or failed (the error's class only). */
export type JobReport = { ran: false; error?: string } | { ran: true; result: unknown } | { ran: true; error: string };

/**
 * Background work that runs once across gateway instances, on a period rather than a timer per
 * instance. Every instance ticks (at the shortest period); a job runs when its lease is free, and
 * the instance that takes it keeps it, renewed while the work lasts and not released after: the
 * lease's expiry is the job's next due time for every instance. A failed run releases the lease,
 * so the next tick anywhere retries. Each round takes the lease under a fresh holder id (this
 * instance's id and a counter), so "free" means expired, never "held by this instance already".
 * A lease is held for the period less a tenth of a tick, so a tick exactly one period later finds
 * it due. Rounds of one job never overlap within an instance; across instances a holder stalled
 * past its lease may overlap the next, so each job must be safe to run twice (the outbox claims
 * every notice on its own; retention deletes what is already past its date).
 * SQLite has one process, and so one worker; the leases work the same there.
 */
export class LeasedJobs {
  private readonly jobs: LeasedJob[] = [];
  private readonly running = new Map<string, Promise<JobReport>>();
  private readonly seeded = new Set<string>();
  private rounds = 0;
  private timer?: NodeJS.Timeout;
  private readonly stopping = new AbortController();

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly instance: string = randomUUID(),
  ) {}

  add(job: LeasedJob): this {
    this.jobs.push(job);
    return this;
  }

  /** Ticks at the shortest period until stop(); the first tick is one period after start. */
  start(): void {
    this.timer = setInterval(() => void this.tick(), Math.min(this.tickMs(), 2 ** 31 - 1));
    this.timer.unref();
  }

  /** One round of this instance's jobs: each runs if it is due and no instance holds it. Never rejects. */
  async tick(): Promise<Record<string, JobReport>> {
    const reports = await Promise.all(this.jobs.map((job) => this.runOnce(job)));
    return Object.fromEntries(this.jobs.map((job, index) => [job.name, reports[index]!]));
  }

  /** Stops ticking, asks rounds under way to end early, and waits for them. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await Promise.all(this.running.values());
  }

  private tickMs(): number {
    return Math.min(...this.jobs.map((job) => job.everyMs));
  }

  private runOnce(job: LeasedJob): Promise<JobReport> {
    // This instance's previous round of the job is still at work: it counts as held.
    if (this.running.has(job.name) || this.stopping.signal.aborted) return Promise.resolve({ ran: false });
    const round = this.leased(job).finally(() => this.running.delete(job.name));
    this.running.set(job.name, round);
    return round;
  }

  private async leased(job: LeasedJob): Promise<JobReport> {
    const ttlMs = Math.max(1, job.everyMs - this.tickMs() / 10);
    const lease = new JobLease(this.dataSource, this.now, `${this.instance}#${(this.rounds += 1)}`);
    try {
      if (job.waitFirstPeriod) await this.seed(job.name, ttlMs);
      if (!(await lease.acquire(job.name, ttlMs))) return { ran: false };
    } catch (error) {
      this.logger.error({ job: job.name, error: describeError(error) }, 'job lease not taken');
      return { ran: false, error: errorClass(error) };
    }
    let renewing: Promise<unknown> = Promise.resolve();
    const renewal = setInterval(() => (renewing = lease.acquire(job.name, ttlMs).catch(() => undefined)), Math.min(ttlMs / 3, 10 * 60_000));
    renewal.unref();
    let report: JobReport;
    try {
      report = { ran: true, result: await job.run(this.stopping.signal) };
    } catch (error) {
      this.logger.error({ job: job.name, error: describeError(error) }, 'background job failed');
      report = { ran: true, error: errorClass(error) };
    }
    clearInterval(renewal);
    await renewing;
    if ('error' in report) await lease.release(job.name).catch(() => undefined);
    return report;
  }

  /** Creates the job's lease row as if it had just run, so a new database waits one period. */
  private async seed(name: string, ttlMs: number): Promise<void> {
    if (this.seeded.has(name)) return;
    await this.dataSource
      .getRepository(JobLeaseEntity)
      .createQueryBuilder()
      .insert()
      .values({ name, holder: '', expiresAt: new Date(this.now() + ttlMs) })
      .orIgnore()
      .execute();
    this.seeded.add(name);
  }
}

function errorClass(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
