import { LeasedJobs } from '../../src/db/leased-jobs';
import { createLogger } from '../../src/logger';
import { useGateway } from '../support/use-gateway';

const MINUTE = 60_000;

describe('leased jobs', () => {
  const { t } = useGateway();
  let now = Date.now();
  const clock = () => now;
  /** Two schedulers on one database, as two instances run them. */
  const pair = (jobs: (instance: string) => Parameters<LeasedJobs['add']>[0][]) =>
    ['instance-a', 'instance-b'].map((instance) => {
      const scheduler = new LeasedJobs(t.dataSource, createLogger('silent'), clock, instance);
      for (const job of jobs(instance)) scheduler.add(job);
      return scheduler;
    });

  it('runs a job once per period however many instances tick, the first time at once', async () => {
    const runs: string[] = [];
    const [a, b] = pair((instance) => [{ name: 'every-minute', everyMs: MINUTE, run: async () => runs.push(instance) }]);
    await Promise.all([a!.tick(), b!.tick()]);
    await Promise.all([a!.tick(), b!.tick()]);
    expect(runs).toHaveLength(1);
    now += MINUTE - MINUTE / 10 - 1; // the lease is held for the period less a tenth of a tick
    expect([(await a!.tick())['every-minute'], (await b!.tick())['every-minute']]).toEqual([{ ran: false }, { ran: false }]);
    now += 2;
    await Promise.all([a!.tick(), b!.tick()]);
    expect(runs).toHaveLength(2);
  });

  it('waits one period on a database that never ran the job, when asked to', async () => {
    let runs = 0;
    // Beside a job of every minute, as in the gateway: the instance ticks every minute.
    const [a] = pair(() => [
      { name: 'minutely', everyMs: MINUTE, run: async () => undefined },
      { name: 'daily', everyMs: 24 * 60 * MINUTE, waitFirstPeriod: true, run: async () => (runs += 1) },
    ]);
    expect((await a!.tick()).daily).toEqual({ ran: false });
    now += 23 * 60 * MINUTE;
    expect((await a!.tick()).daily).toEqual({ ran: false });
    now += 60 * MINUTE;
    expect((await a!.tick()).daily).toEqual({ ran: true, result: 1 });
  });

  it('gives the lease back when a run fails, so the next tick anywhere retries', async () => {
    let failures = 1;
    const [a, b] = pair(() => [
      {
        name: 'flaky',
        everyMs: MINUTE,
        run: async () => {
          if (failures-- > 0) throw new TypeError('down');
          return 'done';
        },
      },
    ]);
    expect((await a!.tick()).flaky).toEqual({ ran: true, error: 'TypeError' });
    expect((await b!.tick()).flaky).toEqual({ ran: true, result: 'done' });
    expect((await a!.tick()).flaky).toEqual({ ran: false });
  });

  it('asks a round under way to end when the instance stops, and waits for it', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const [a] = pair(() => [
      {
        name: 'long',
        everyMs: MINUTE,
        run: (signal) =>
          new Promise<string>((resolve) => {
            started();
            signal.addEventListener('abort', () => resolve('ended early'));
          }),
      },
    ]);
    const round = a!.tick();
    await running;
    await a!.stop();
    expect((await round).long).toEqual({ ran: true, result: 'ended early' });
    expect((await a!.tick()).long).toEqual({ ran: false });
  });
});
