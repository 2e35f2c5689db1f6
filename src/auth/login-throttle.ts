import type { RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimited } from '../errors';
import { clientNetwork } from './client-network';
import type { ThrottleLimiter } from './throttle-backend';
import type { ThrottleStore } from './throttle-store';

/**
 * Counts sign-in attempts per identifier (strict) and per client address (loose, so members behind
 * one NAT are not locked out together). An attempt is counted *before* the credential is checked,
 * so parallel guesses cannot slip past the limit while a hash is computed; a success gives the
 * point back. An address counts by its network (clientNetwork: an IPv6 client by its /64). Once a counter is over its limit every attempt is refused, even with the right
 * credential, until its window passes. Password and biometric sign-in, step-up and password
 * change all count here. The counters live in `store` (shared by the instances when it is Redis or
 * the database), which sees only digests of the keys.
 */
export class LoginThrottle {
  private readonly perIdentifier: ThrottleLimiter;
  private readonly perAddress: ThrottleLimiter;

  constructor(
    store: ThrottleStore,
    private readonly limits: { maxFailuresPerIdentifier: number; maxFailuresPerAddress: number; failureWindowSeconds: number },
  ) {
    this.perIdentifier = store.counter({
      keyPrefix: 'login-identifier',
      points: limits.maxFailuresPerIdentifier,
      durationSeconds: limits.failureWindowSeconds,
    });
    this.perAddress = store.counter({ keyPrefix: 'login-address', points: limits.maxFailuresPerAddress, durationSeconds: limits.failureWindowSeconds });
  }

  /** Counts the attempt; throws RATE_LIMITED when it is over either limit. */
  async begin(identifierKey: string, address: string): Promise<void> {
    const [identifier, client] = await Promise.all([this.perIdentifier.penalty(identifierKey), this.perAddress.penalty(clientNetwork(address))]);
    const over = [
      identifier.consumedPoints > this.limits.maxFailuresPerIdentifier ? identifier : null,
      client.consumedPoints > this.limits.maxFailuresPerAddress ? client : null,
    ].filter((result): result is RateLimiterRes => result !== null);
    if (over.length > 0) throw rateLimited(Math.ceil(Math.max(...over.map((result) => result.msBeforeNext)) / 1000));
  }

  /** A successful attempt clears the identifier's count and gives the address its point back. */
  async succeeded(identifierKey: string, address: string): Promise<void> {
    await Promise.all([this.perIdentifier.delete(identifierKey), this.perAddress.reward(clientNetwork(address))]);
  }
}
