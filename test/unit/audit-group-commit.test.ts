import { AuditGroupCommit } from '../../src/audit/audit-group-commit';
import { DatabaseUnavailableError } from '../../src/db/database-unavailable';

/** A write whose statements the test completes or fails one at a time. */
function controlledWrites() {
  const statements: Array<{ rows: number[]; done: (error?: Error) => void }> = [];
  const write = (rows: number[]) => new Promise<void>((resolve, reject) => statements.push({ rows, done: (error) => (error ? reject(error) : resolve()) }));
  return { statements, write };
}

const settled = (promise: Promise<void>) =>
  promise.then(
    () => 'written',
    (error: Error) => error.message,
  );
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit of audit writes', () => {
  it('sends the rows of requests arriving during a write together in the next statement', async () => {
    const { statements, write } = controlledWrites();
    const commit = new AuditGroupCommit(write);
    const first = settled(commit.append([1, 2]));
    const later = [commit.append([3]), commit.append([4, 5]), commit.append([6])].map(settled);
    expect(statements.map((s) => s.rows)).toEqual([[1, 2]]);
    statements[0]!.done();
    await turn();
    expect(statements.map((s) => s.rows)).toEqual([
      [1, 2],
      [3, 4, 5, 6],
    ]);
    expect(await first).toBe('written');
    statements[1]!.done();
    expect(await Promise.all(later)).toEqual(['written', 'written', 'written']);
  });

  it('fails the requests of a statement the database did not answer and those waiting behind it, and goes on with the next', async () => {
    const { statements, write } = controlledWrites();
    const commit = new AuditGroupCommit(write);
    const inFlight = settled(commit.append([1]));
    const waiting = settled(commit.append([2]));
    statements[0]!.done(new DatabaseUnavailableError('STATEMENT_TIMEOUT', 'database gone'));
    expect(await Promise.all([inFlight, waiting])).toEqual(['database gone', 'database gone']);
    expect(statements).toHaveLength(1);
    const next = settled(commit.append([3]));
    statements[1]!.done();
    expect(await next).toBe('written');
  });

  it('writes each request of a shared statement the database refused alone, so only the offending request fails', async () => {
    const { statements, write } = controlledWrites();
    const commit = new AuditGroupCommit(write);
    const first = settled(commit.append([1]));
    const shared = [commit.append([2]), commit.append([3]), commit.append([4])].map(settled);
    statements[0]!.done();
    await turn();
    statements[1]!.done(new Error('Data too long for column'));
    for (const [index, outcome] of [undefined, new Error('Data too long for column'), undefined].entries()) {
      await turn();
      statements[2 + index]!.done(outcome);
    }
    expect(await first).toBe('written');
    expect(await Promise.all(shared)).toEqual(['written', 'Data too long for column', 'written']);
    expect(statements.map((s) => s.rows)).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('keeps a statement within 1000 rows, taking whole requests, and sends a larger request alone', async () => {
    const { statements, write } = controlledWrites();
    const commit = new AuditGroupCommit(write);
    const rows = (count: number) => Array.from({ length: count }, (_, index) => index);
    const all = [commit.append(rows(1)), commit.append(rows(600)), commit.append(rows(400)), commit.append(rows(1200)), commit.append(rows(5))].map(settled);
    for (let index = 0; index < 4; index += 1) {
      await turn();
      statements[index]!.done();
    }
    expect(await Promise.all(all)).toEqual(Array(5).fill('written'));
    expect(statements.map((s) => s.rows.length)).toEqual([1, 1000, 1200, 5]);
  });
});
