/**
 * What the client knows about how the gateway will treat personal data right now: until when the
 * member's sign-in counts as recent (from `AuthPayload.recentAuthUntil`), and an epoch that moves
 * whenever that or a consent changes. Cached personal values are valid only for the view they were
 * fetched under; the type policies compare views, so a masked value never hides a full one (after
 * stepUp) and a full one never outlives the step-up window.
 */
export class PrivacyState {
  private epoch = 0;
  private recentAuthUntil: number | null = null;
  /** Masked response paths of the last result of each operation (from `extensions.privacy.masked`). */
  readonly maskedPaths = new Map<string, string[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A sign-in, refresh or step-up answered: a new recent-auth window starts a new view. */
  signedIn(recentAuthUntil: string | null): void {
    const until = recentAuthUntil === null ? null : Date.parse(recentAuthUntil);
    if (until !== this.recentAuthUntil) this.changed();
    this.recentAuthUntil = until;
  }

  /** Consent granted or withdrawn, policy accepted, signed out: what the gateway shows may change. */
  changed(): void {
    this.epoch += 1;
  }

  /** Identifies the current view; a cached personal value fetched under another view is stale. */
  view(): string {
    const recent = this.recentAuthUntil !== null && this.now() < this.recentAuthUntil;
    return `${this.epoch}:${recent ? 'recent' : 'plain'}`;
  }
}
