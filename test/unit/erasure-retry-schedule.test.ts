import { FAILING_RETRY_MS, RETRY_BASE_MS, RETRY_CAP_MS, retryDelayMs } from '../../src/privacy/erasure-retry-schedule';

describe('the erasure-notice retry schedule', () => {
  const lowest = () => 0;
  const highest = () => 1;

  it('doubles the delay from 30 s after each failed attempt, up to an hour', () => {
    const steps = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((attempts) => retryDelayMs(attempts, 10, highest));
    expect(steps).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, RETRY_CAP_MS, RETRY_CAP_MS]);
    expect(retryDelayMs(1, 10, highest)).toBe(RETRY_BASE_MS);
  });

  it('jitters each delay between half and all of its step', () => {
    expect(retryDelayMs(1, 10, lowest)).toBe(15_000);
    expect(retryDelayMs(3, 10, () => 0.5)).toBe(90_000);
    for (let i = 0; i < 100; i += 1) {
      const delay = retryDelayMs(4, 10);
      expect(delay).toBeGreaterThanOrEqual(120_000);
      expect(delay).toBeLessThanOrEqual(240_000);
    }
  });

  it('retries a FAILING notice every few hours from OUTBOX_MAX_ATTEMPTS on, however many attempts failed', () => {
    for (const attempts of [10, 11, 500, 10_000]) {
      expect(retryDelayMs(attempts, 10, highest)).toBe(FAILING_RETRY_MS);
      expect(retryDelayMs(attempts, 10, lowest)).toBe(FAILING_RETRY_MS / 2);
    }
    expect(retryDelayMs(3, 3, highest)).toBe(FAILING_RETRY_MS);
  });
});
