import { rateLimited } from '../errors';
import { clientNetwork } from './client-network';
import type { ThrottleLimiter } from './throttle-backend';
import type { ThrottleStore } from './throttle-store';

/**
 * Registrations per client address (an IPv6 client by its /64, see clientNetwork) per hour. Every attempt that reaches the resolver counts,
 * before the password is hashed (scrypt is the expensive part an attacker would aim at), and
 * successes are not given back: many sign-ups from one address is what this limits. The count
 * lives in `store`, like the sign-in throttle's.
 */
export class RegisterThrottle {
  private readonly perAddress: ThrottleLimiter;

  constructor(
    store: ThrottleStore,
    private readonly maxPerAddress: number,
  ) {
    this.perAddress = store.counter({ keyPrefix: 'register-address', points: maxPerAddress, durationSeconds: 3600 });
  }

  /** Counts the attempt; RATE_LIMITED when the address is over its hourly limit. */
  async begin(address: string): Promise<void> {
    const result = await this.perAddress.penalty(clientNetwork(address));
    if (result.consumedPoints > this.maxPerAddress) throw rateLimited(Math.ceil(result.msBeforeNext / 1000));
  }
}
