import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { JobLeaseEntity } from './job-lease.entity';

export type LeasedRun<T> = { ran: true; result: T } | { ran: false };

/**
 * Runs background work once across gateway instances. `run(name, ttlMs, work)` takes the lease
 * `name` (or finds another instance holding it and returns `{ ran: false }`), renews it every
 * third of its TTL while `work` runs, and releases it afterwards. A holder that dies simply lets
 * its lease expire: another instance takes it at its next tick. Work must be idempotent per
 * batch, because a holder stalled past its expiry (a long GC, a frozen VM) may overlap the next.
 * Expiry uses this instance's clock: instances' clocks must agree to well within the TTL.
 */
export class JobLease {
  /** This instance's holder id, for the lease rows and the logs. */
  readonly holder: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly now: () => number = Date.now,
    holder?: string,
  ) {
    this.holder = holder ?? randomUUID();
  }

  async run<T>(name: string, ttlMs: number, work: () => Promise<T>): Promise<LeasedRun<T>> {
    if (!(await this.acquire(name, ttlMs))) return { ran: false };
    const renewal = setInterval(() => void this.acquire(name, ttlMs).catch(() => undefined), Math.max(1, Math.floor(ttlMs / 3)));
    renewal.unref();
    try {
      return { ran: true, result: await work() };
    } finally {
      clearInterval(renewal);
      await this.release(name).catch(() => undefined);
    }
  }

  /** Takes or renews the lease; true when this instance holds it until now + ttlMs. */
  async acquire(name: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const expiresAt = new Date(now + ttlMs);
    const repository = this.dataSource.getRepository(JobLeaseEntity);
    await repository
      .createQueryBuilder()
      .insert()
      .values({ name, holder: '', expiresAt: new Date(0) })
      .orIgnore()
      .execute();
    const taken = await repository
      .createQueryBuilder()
      .update()
      .set({ holder: this.holder, expiresAt })
      .where('name = :name AND (holder = :holder OR expires_at < :now)', { name, holder: this.holder, now: new Date(now) })
      .execute();
    return taken.affected === 1;
  }

  /** Gives the lease up at once, so another instance need not wait for it to expire. */
  async release(name: string): Promise<void> {
    await this.dataSource
      .getRepository(JobLeaseEntity)
      .createQueryBuilder()
      .update()
      .set({ holder: '', expiresAt: new Date(0) })
      .where('name = :name AND holder = :holder', { name, holder: this.holder })
      .execute();
  }
}
