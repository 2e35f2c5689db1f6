import type { Logger } from '../logger';

/**
 * Says when a shared throttle store stops answering and when it answers again: one warning per
 * outage however many requests fall back meanwhile, and one line when it is back. Lines carry the
 * store and an error code, never a key, an address or the store's URL (which may hold a password).
 */
export class SharedStoreHealth {
  private degraded = false;

  constructor(
    private readonly logger: Logger,
    private readonly store: string,
  ) {}

  get isDegraded(): boolean {
    return this.degraded;
  }

  /** The store failed (unreachable, timed out, refused): throttles count per instance until it is back. */
  lost(reason: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(
      { throttleStore: this.store, reason },
      'shared throttle store unavailable: sign-in and register throttles count per instance until it answers again',
    );
  }

  /** The store answered: throttles are shared again. */
  regained(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.info({ throttleStore: this.store }, 'shared throttle store available again: throttles are shared');
  }
}
