import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * The one place that decides where throttle counters live. Every throttle (sign-in, register)
 * gets its limiters here, so moving them to a shared store (Redis, the database) is one change.
 * Today: process memory, so each gateway process counts on its own.
 */
export function createLimiter(options: { keyPrefix: string; points: number; durationSeconds: number }): RateLimiterAbstract {
  return new RateLimiterMemory({ keyPrefix: options.keyPrefix, points: options.points, duration: options.durationSeconds });
}
