import { createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { MasterKeys } from '../crypto';
import type { Logger } from '../logger';
import { databaseBackend } from './database-throttle-backend';
import { redisBackend } from './redis-throttle-backend';
import { memoryBackend, type ThrottleBackend, type ThrottleLimiter, type ThrottleWindow } from './throttle-backend';

/**
 * The one place that decides where throttle counters live (sign-in, biometric sign-in, step-up,
 * register): Redis when `REDIS_URL` is set; else the MySQL/MariaDB database, shared by every
 * instance on it; process memory only for the embedded SQLite default (one process). Keys are
 * HMAC digests under a key derived from the master secret before they reach any store, so no
 * identifier, member id or client address ever leaves the process, and instances sharing the
 * master secret count the same key together.
 */
export class ThrottleStore {
  private constructor(
    private readonly backend: ThrottleBackend,
    private readonly digestKey: Buffer,
  ) {}

  /** Opens the store the configuration calls for; Redis is waited for briefly, never required. */
  static async open(
    settings: { redisUrl?: string; database: DatabaseConfig },
    dataSource: DataSource,
    masterSecret: Buffer,
    logger: Logger,
  ): Promise<ThrottleStore> {
    const backend = settings.redisUrl
      ? await redisBackend(settings.redisUrl, logger)
      : settings.database.kind === 'mysql'
        ? databaseBackend(dataSource, logger)
        : memoryBackend();
    return new ThrottleStore(backend, new MasterKeys(masterSecret).throttleKey);
  }

  /** Counters in this process only (scripts, and gateways on embedded SQLite). */
  static inMemory(throttleKey: Buffer): ThrottleStore {
    return new ThrottleStore(memoryBackend(), throttleKey);
  }

  get kind(): ThrottleBackend['kind'] {
    return this.backend.kind;
  }

  /** A counter whose keys are digested before they reach the store. */
  counter(window: ThrottleWindow): ThrottleLimiter {
    const limiter = this.backend.limiter(window);
    const digest = (key: string) => createHmac('sha256', this.digestKey).update(key, 'utf8').digest('hex');
    return {
      penalty: (key) => limiter.penalty(digest(key)),
      reward: (key) => limiter.reward(digest(key)),
      delete: (key) => limiter.delete(digest(key)),
    };
  }

  /** Closes the store's connections and timers (the gateway's stop, before the database closes). */
  close(): Promise<void> {
    return this.backend.close();
  }
}
