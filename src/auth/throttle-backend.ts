import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';

/** One fixed-window counter per key: `points` per `durationSeconds`, keys under `keyPrefix`. */
export interface ThrottleWindow {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

/** The part of a rate-limiter-flexible limiter the throttles use. */
export interface ThrottleLimiter {
  /** Adds a point to `key` in its current window; resolves with the count. Never rejects for being over. */
  penalty(key: string): Promise<RateLimiterRes>;
  /** Takes a point back. */
  reward(key: string): Promise<RateLimiterRes>;
  /** Forgets `key`'s count. */
  delete(key: string): Promise<boolean>;
}

/** Where counters live: `redis` and `database` are shared by every instance, `memory` is this process's. */
export interface ThrottleBackend {
  readonly kind: 'redis' | 'database' | 'memory';
  limiter(window: ThrottleWindow): ThrottleLimiter;
  /** Releases what the backend holds (connections, timers); limiters are unusable afterwards. */
  close(): Promise<void>;
}

/** Counters in process memory: right for one process (the embedded SQLite default), per instance otherwise. */
export function memoryBackend(): ThrottleBackend {
  return {
    kind: 'memory',
    limiter: (window) => new RateLimiterMemory({ keyPrefix: window.keyPrefix, points: window.points, duration: window.durationSeconds }),
    close: async () => undefined,
  };
}
