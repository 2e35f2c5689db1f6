import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Logger } from '../logger';
import type { ThrottleBackend, ThrottleLimiter, ThrottleWindow } from './throttle-backend';
import { SharedStoreHealth } from './throttle-health';

/**
 * Every wait on Redis is bounded, so an outage costs a sign-in at most about this much: opening
 * the connection (start-up waits no longer either) and one command. Commands are never queued
 * while disconnected: they fail at once and the instance counts on its own (see below).
 */
const REDIS_BOUNDS = { connectMs: 1000, commandMs: 500, maxReconnectDelayMs: 5000 } as const;

type MemoryOptions = ConstructorParameters<typeof RateLimiterMemory>[0];

/** The insurance limiter: process memory, noting each use (Redis failed for that call). */
class FallbackLimiter extends RateLimiterMemory {
  constructor(
    options: MemoryOptions,
    private readonly used: () => void,
  ) {
    super(options);
  }

  override penalty(...args: Parameters<RateLimiterMemory['penalty']>) {
    this.used();
    return super.penalty(...args);
  }

  override reward(...args: Parameters<RateLimiterMemory['reward']>) {
    this.used();
    return super.reward(...args);
  }

  override delete(...args: Parameters<RateLimiterMemory['delete']>) {
    this.used();
    return super.delete(...args);
  }
}

/**
 * Throttle counters in Redis (`REDIS_URL`), shared by every instance. When Redis is unreachable,
 * slow or refusing, each call falls back to rate-limiter-flexible's insurance limiter: a memory
 * counter with the same window in this instance. Throttling never stops and a sign-in never
 * waits on Redis beyond REDIS_BOUNDS, but while it lasts the limits hold per instance (N instances
 * let N times the guesses through). Logged once per outage (warn) and once when Redis is back.
 * ioredis reconnects in the background; the counts made in memory meanwhile are not carried over.
 */
export async function redisBackend(url: string, logger: Logger): Promise<ThrottleBackend> {
  const health = new SharedStoreHealth(logger, 'redis');
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    connectTimeout: REDIS_BOUNDS.connectMs,
    commandTimeout: REDIS_BOUNDS.commandMs,
    maxRetriesPerRequest: 0,
    // How long a closing socket may linger (ioredis waits this long even for one that already failed).
    disconnectTimeout: REDIS_BOUNDS.commandMs,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, REDIS_BOUNDS.maxReconnectDelayMs),
  });
  // Also keeps ioredis from printing unhandled errors; only the code is logged.
  client.on('error', (error: Error & { code?: unknown }) => health.lost(typeof error.code === 'string' ? error.code : error.name));
  client.on('ready', () => health.regained());
  await connectWithin(client, REDIS_BOUNDS.connectMs);
  if (client.status !== 'ready') health.lost('NOT_READY');

  let fallbacks = 0;
  /** Runs one limiter call; a call that did not fall back means Redis answered. */
  const observed = async <T>(operation: () => Promise<T>): Promise<T> => {
    const before = fallbacks;
    const result = await operation();
    if (fallbacks === before && health.isDegraded) health.regained();
    return result;
  };

  return {
    kind: 'redis',
    limiter(window: ThrottleWindow): ThrottleLimiter {
      const options = { keyPrefix: window.keyPrefix, points: window.points, duration: window.durationSeconds };
      const insurance = new FallbackLimiter(options, () => {
        fallbacks += 1;
        health.lost('FALLBACK');
      });
      const shared = new RateLimiterRedis({
        ...options,
        keyPrefix: `throttle:${window.keyPrefix}`,
        storeClient: client,
        // Not "ready" (connecting, reconnecting): straight to the insurance limiter, no waiting.
        rejectIfRedisNotReady: true,
        insuranceLimiter: insurance,
      });
      return {
        penalty: (key) => observed(() => shared.penalty(key)),
        reward: (key) => observed(() => shared.reward(key)),
        delete: (key) => observed(() => shared.delete(key)),
      };
    },
    async close() {
      // Immediate: stop() runs after the HTTP server drained, so nothing waits on a reply.
      client.disconnect();
    },
  };
}

/** Connects, waiting at most `ms` (a server that accepts but never answers must not hang start-up). */
async function connectWithin(client: Redis, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const connecting = client.connect().catch(() => undefined); // failures arrive as 'error' events; ioredis retries
  await Promise.race([connecting, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
