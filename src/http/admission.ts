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
 * CPU can drain only turns into deadline failures. A place is held while the request's work runs
 * (or until its response closes); a client that leaves while waiting gives its place up.
 */
export class Admission {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly settings: AdmissionSettings) {}

  /**
   * Runs `admitted` now or when a place frees up, or calls `refused` (not both). The place is given
   * back by `release` (once the work is done: a client that does not read its response must not
   * keep it) or when the response closes, whichever comes first.
   */
  enter(res: ServerResponse, admitted: (release: () => void) => void, refused: (outcome: Exclude<AdmissionOutcome, 'admitted'>) => void): void {
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

  private start(res: ServerResponse, admitted: (release: () => void) => void): void {
    this.running += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      res.off('close', release);
      this.running -= 1;
      this.waiting.shift()?.();
    };
    res.once('close', release);
    admitted(release);
  }
}
