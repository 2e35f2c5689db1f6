import { JobLease } from '../../src/db/job-lease';
import { useGateway } from '../support/use-gateway';

describe('job leases', () => {
  const { t } = useGateway();

  it('lets one instance hold a job until it releases it or its lease expires', async () => {
    let now = Date.now();
    const clock = () => now;
    const a = new JobLease(t.dataSource, clock, 'instance-a');
    const b = new JobLease(t.dataSource, clock, 'instance-b');
    expect(await a.acquire('test-job', 60_000)).toBe(true);
    expect(await b.acquire('test-job', 60_000)).toBe(false);
    expect(await a.acquire('test-job', 60_000)).toBe(true); // renewal by the holder
    now += 61_000;
    expect(await b.acquire('test-job', 60_000)).toBe(true); // a's lease expired
    expect(await a.acquire('test-job', 60_000)).toBe(false);
    await b.release('test-job');
    expect(await a.acquire('test-job', 60_000)).toBe(true);
    await a.release('test-job');
  });

  it('runs concurrent work once: the instance that finds the job held does not run it', async () => {
    const leases = ['x', 'y', 'z'].map((holder) => new JobLease(t.dataSource, Date.now, holder));
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = leases[0]!.run('overlap-job', 60_000, async () => {
      runs += 1;
      await gate;
    });
    // Let the first take the lease before the others try.
    await new Promise((resolve) => setImmediate(resolve));
    while (runs === 0) await new Promise((resolve) => setImmediate(resolve));
    const others = await Promise.all(leases.slice(1).map((lease) => lease.run('overlap-job', 60_000, async () => (runs += 1))));
    release();
    expect(await first).toEqual({ ran: true, result: undefined });
    expect(others).toEqual([{ ran: false }, { ran: false }]);
    expect(runs).toBe(1);
    // Released: the next round runs.
    expect((await leases[1]!.run('overlap-job', 60_000, async () => 'next')).ran).toBe(true);
  });
});
