import type { ServerResponse } from 'node:http';

/** What happened to a request that asked to be admitted. */
export type AdmissionOutcome = 'admitted' | 'queue-full' | 'queue-timeout';

export interface AdmissionSettings {
  /** GraphQL requests running at once on this instance. */
  maxConcurrent: number;
  /** Requests waiting for a place; one more is refused at once. */
  maxQueued: number;
  /** A request that has waited this long is refused (it would meet its deadline anyway). */
  maxWaitMs: number;
}

/**
 * Admission control for the GraphQL route: at most `maxConcurrent` requests run at once, the next
 * `maxQueued` wait in arrival order, and the rest are refused at once. It bounds the memory a burst
 * can take (the gateway's heap is sized, see README's "Memory"), and a queue far longer than the
 * CPU can drain only turns into deadline failures. A place is held until the response has closed,
 * however it ended; a client that leaves while waiting gives its place up.
 */
export class Admission {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly settings: AdmissionSettings) {}

  /** Runs `admitted` now or when a place frees up, or calls `refused` (not both). */
  enter(res: ServerResponse, admitted: () => void, refused: (outcome: Exclude<AdmissionOutcome, 'admitted'>) => void): void {
    if (res.closed) return; // the client left before asking: its 'close' has passed, nothing to run or hold
    if (this.running < this.settings.maxConcurrent) return this.start(res, admitted);
    if (this.waiting.length >= this.settings.maxQueued) return refused('queue-full');
    let timer: NodeJS.Timeout | undefined = undefined;
    const leaveQueue = () => {
      clearTimeout(timer);
      const at = this.waiting.indexOf(wake);
      if (at !== -1) this.waiting.splice(at, 1);
      res.off('close', leaveQueue);
    };
    const wake = () => {
      leaveQueue();
      this.start(res, admitted);
    };
    timer = setTimeout(() => {
      leaveQueue();
      refused('queue-timeout');
    }, this.settings.maxWaitMs);
    res.once('close', leaveQueue); // the client left while waiting
    this.waiting.push(wake);
  }

  /** Requests running and waiting now (for metrics and tests). */
  get usage(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private start(res: ServerResponse, admitted: () => void): void {
    this.running += 1;
    res.once('close', () => {
      this.running -= 1;
      this.waiting.shift()?.();
    });
    admitted();
  }
}
