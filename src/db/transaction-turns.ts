import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';

/** Gives the event loop a turn at item `index` of background work, or does nothing (undefined). */
export type TurnAt = (index: number) => Promise<void> | undefined;

/**
 * Turns that background work inside `manager`'s transaction gives the requests its instance is
 * answering: one every `every` items (the first item takes none). None on SQLite, whose
 * transactions all share its one connection: a turn inside one would let requests' statements in.
 */
export function transactionTurns(manager: EntityManager, every: number): TurnAt {
  if (manager.connection.options.type === 'better-sqlite3') return () => undefined;
  return (index) => (index > 0 && index % every === 0 ? nextTurn() : undefined);
}
