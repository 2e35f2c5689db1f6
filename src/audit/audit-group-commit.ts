import { isDatabaseUnavailable } from '../db/database-unavailable';

/** Rows one statement may carry: MySQL allows 65,535 placeholders and SQLite 32,766; an entry is written with 11 columns. */
const MAX_ROWS_PER_STATEMENT = 1000;

interface Waiting<T> {
  rows: T[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the request path's audit writes: while one write is in flight, the rows of
 * requests that finish meanwhile wait and then go out together in the next statement, so a busy
 * instance writes one INSERT for several requests instead of one each. A request's promise
 * settles with the statement that carried its rows (durable when it resolves). When the database
 * is unavailable, the rows still waiting fail with the statement rather than queue behind a
 * database that is not answering: every one of those requests is withheld (SERVICE_UNAVAILABLE)
 * in about one statement's time, and nothing of theirs was written. When the database refused a
 * shared statement for what it held (one request's value too long, say), each request's rows are
 * written alone, so only that request fails. Per process; instances share nothing.
 */
export class AuditGroupCommit<T> {
  private waiting: Waiting<T>[] = [];
  private writing = false;

  constructor(private readonly write: (rows: T[]) => Promise<void>) {}

  append(rows: T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const batch = this.take();
      try {
        await this.write(batch.length === 1 ? batch[0]!.rows : batch.flatMap((waiting) => waiting.rows));
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        if (batch.length > 1 && !isDatabaseUnavailable(error)) {
          for (const waiting of batch) await this.write(waiting.rows).then(waiting.resolve, waiting.reject);
          continue;
        }
        const failed = [...batch, ...this.waiting];
        this.waiting = [];
        for (const waiting of failed) waiting.reject(error);
      }
    }
    this.writing = false;
  }

  /** The oldest waiting requests, whole, up to the statement's row limit (at least one request, however large). */
  private take(): Waiting<T>[] {
    let rows = this.waiting[0]!.rows.length;
    let count = 1;
    while (count < this.waiting.length && rows + this.waiting[count]!.rows.length <= MAX_ROWS_PER_STATEMENT) {
      rows += this.waiting[count]!.rows.length;
      count += 1;
    }
    return this.waiting.splice(0, count);
  }
}
