import { createHmac } from 'node:crypto';

/**
 * A keyed, deterministic digest of a normalised value, for equality lookups and uniqueness on
 * encrypted columns (phone, member name) without storing the plaintext. The `kind` separates
 * domains so equal strings of different meaning never collide.
 */
export class BlindIndex {
  constructor(private readonly key: Buffer) {}

  of(kind: string, normalisedValue: string): string {
    return createHmac('sha256', this.key).update(`${kind}\u0000${normalisedValue}`, 'utf8').digest('base64url');
  }
}
