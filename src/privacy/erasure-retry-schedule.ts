/** The first retry comes after about 30 s; each further one waits twice as long, up to an hour. */
export const RETRY_BASE_MS = 30_000;
export const RETRY_CAP_MS = 3600_000;
/** A FAILING notice (OUTBOX_MAX_ATTEMPTS failed attempts or more) is still retried, about every 6 hours. */
export const FAILING_RETRY_MS = 6 * 3600_000;

/**
 * How long to wait after the `attempts`-th failed attempt: exponential backoff (RETRY_BASE_MS
 * doubling, capped at RETRY_CAP_MS) until `maxAttempts`, FAILING_RETRY_MS from then on, never
 * "stop". Equal jitter (between half and all of the step) spreads the retries of notices that
 * failed together, e.g. during one outage of the recipient, while keeping each delay at least half
 * its step.
 */
export function retryDelayMs(attempts: number, maxAttempts: number, random: () => number = Math.random): number {
  const step = attempts >= maxAttempts ? FAILING_RETRY_MS : Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}
