import { RateLimiterMemory } from 'rate-limiter-flexible';
import { rateLimited } from '../errors';

/**
 * Counts failed sign-ins per identifier (strict) and per client address (loose, so members behind
 * one NAT are not locked out together). Once a counter is full every attempt on it is refused,
 * even with the right password, until its window passes. Keys are blind-index digests, never the
 * identifier itself. In memory: one gateway process holds its own counts.
 */
export class LoginThrottle {
  private readonly perIdentifier: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;

  constructor(private readonly limits: { maxFailuresPerIdentifier: number; maxFailuresPerAddress: number; failureWindowSeconds: number }) {
    this.perIdentifier = new RateLimiterMemory({ points: limits.maxFailuresPerIdentifier, duration: limits.failureWindowSeconds });
    this.perAddress = new RateLimiterMemory({ points: limits.maxFailuresPerAddress, duration: limits.failureWindowSeconds });
  }

  /** Throws RATE_LIMITED when either counter is full. */
  async assertAllowed(identifierKey: string, address: string): Promise<void> {
    const [identifier, client] = await Promise.all([this.perIdentifier.get(identifierKey), this.perAddress.get(address)]);
    const blocked = [
      identifier && identifier.consumedPoints >= this.limits.maxFailuresPerIdentifier ? identifier : null,
      client && client.consumedPoints >= this.limits.maxFailuresPerAddress ? client : null,
    ].filter((result) => result !== null);
    if (blocked.length > 0) {
      throw rateLimited(Math.ceil(Math.max(...blocked.map((result) => result.msBeforeNext)) / 1000));
    }
  }

  async recordFailure(identifierKey: string, address: string): Promise<void> {
    await Promise.all([this.perIdentifier.penalty(identifierKey), this.perAddress.penalty(address)]);
  }

  /** A successful sign-in clears the identifier's count (not the address's). */
  async recordSuccess(identifierKey: string): Promise<void> {
    await this.perIdentifier.delete(identifierKey);
  }
}
