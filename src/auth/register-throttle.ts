import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimited } from '../errors';
import { createLimiter } from './throttle-store';

/**
 * Registrations per client address per hour. Every attempt that reaches the resolver counts,
 * before the password is hashed (scrypt is the expensive part an attacker would aim at), and
 * successes are not given back: many sign-ups from one address is what this limits.
 */
export class RegisterThrottle {
  private readonly perAddress: RateLimiterAbstract;

  constructor(private readonly maxPerAddress: number) {
    this.perAddress = createLimiter({ keyPrefix: 'register-address', points: maxPerAddress, durationSeconds: 3600 });
  }

  /** Counts the attempt; RATE_LIMITED when the address is over its hourly limit. */
  async begin(address: string): Promise<void> {
    const result = await this.perAddress.penalty(address);
    if (result.consumedPoints > this.maxPerAddress) throw rateLimited(Math.ceil(result.msBeforeNext / 1000));
  }
}
