import { randomUUID } from 'node:crypto';

/**
 * Ids that leave the gateway for rows keyed internally by an auto-increment integer (orders,
 * browsing events): random, so they say nothing about volume or neighbours and cannot be guessed.
 */
export function newPublicId(): string {
  return randomUUID();
}

/** Lower-case only: MariaDB compares case-insensitively and SQLite does not, so both see the same ids. */
export function isPublicId(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
}
