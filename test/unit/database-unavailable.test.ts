import { GraphQLError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '../../src/db/database-unavailable';
import { formatError } from '../../src/errors';

const driverError = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error('driver text that may quote 13812345678'), { code, ...extra });

describe('database unavailability', () => {
  it.each(['ECONNREFUSED', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'ER_STATEMENT_TIMEOUT', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT'])(
    'counts driver code %s as unavailable',
    (code) => {
      expect(isDatabaseUnavailable(driverError(code))).toBe(true);
    },
  );

  it('sees through TypeORM, graphql-js and cause wrappers', () => {
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], driverError('ECONNRESET')))).toBe(true);
    expect(isDatabaseUnavailable({ thrownValue: driverError('ECONNREFUSED') })).toBe(true);
    expect(isDatabaseUnavailable(new Error('outer', { cause: driverError('EPIPE') }))).toBe(true);
  });

  it('counts a mysql2 fatal connection error and our own timeouts as unavailable', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true }))).toBe(true);
    for (const code of ['ACQUIRE_TIMEOUT', 'STATEMENT_TIMEOUT', 'REQUEST_DEADLINE'])
      expect(isDatabaseUnavailable(new DatabaseUnavailableError(code, 'x'))).toBe(true);
  });

  it('does not count bugs and constraint violations as unavailable', () => {
    expect(isDatabaseUnavailable(driverError('ER_DUP_ENTRY'))).toBe(false);
    expect(isDatabaseUnavailable(driverError('SQLITE_CONSTRAINT_UNIQUE'))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('undefined is not a function'))).toBe(false);
  });

  it('leaves formatError answering SERVICE_UNAVAILABLE with a generic message that quotes nothing', () => {
    const error = new GraphQLError('driver text that may quote 13812345678', { originalError: driverError('ECONNREFUSED'), path: ['me'] });
    const formatted = formatError({ message: error.message, path: ['me'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error);
    expect(formatted.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    expect(formatted.message).not.toContain('138');
    expect(formatted.path).toEqual(['me']);
  });
});
