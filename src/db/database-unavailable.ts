/**
 * Which database failures mean "the database is not available right now" (unreachable, stopped
 * answering, busy, out of time) as opposed to a bug. One place for both drivers; errors.ts turns
 * them into SERVICE_UNAVAILABLE so a client retries instead of, say, signing its user out.
 */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  constructor(
    /** ACQUIRE_TIMEOUT, STATEMENT_TIMEOUT or REQUEST_DEADLINE. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const UNAVAILABLE_CODES = new Set([
  // network and socket (mysql2 passes Node's codes through)
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EAI_AGAIN',
  // mysql2 protocol
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  // server-side: statement limit, lock wait, shutting down, connection limit, killed
  'ER_STATEMENT_TIMEOUT',
  'ER_QUERY_TIMEOUT',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_QUERY_INTERRUPTED',
  'ER_CONNECTION_KILLED',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  // ours
  'ACQUIRE_TIMEOUT',
  'STATEMENT_TIMEOUT',
  'REQUEST_DEADLINE',
]);

/** The driver code that makes `error` an unavailability, or undefined when it is something else. */
export function databaseUnavailableCode(error: unknown): string | undefined {
  // TypeORM wraps driver errors (QueryFailedError.driverError), graphql-js wraps values that are not
  // Errors of its realm (NonErrorThrown.thrownValue): look a few levels down. Not `instanceof`:
  // socket errors may come from another realm (e.g. under jest).
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, fatal } = current as { code?: unknown; fatal?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^SQLITE_(BUSY|LOCKED)/.test(code))) return code;
    // mysql2 marks connection-level failures fatal (e.g. a command on a connection already closed).
    if (fatal === true) return typeof code === 'string' ? code : 'CONNECTION_CLOSED';
    const wrapper = current as { driverError?: unknown; thrownValue?: unknown; cause?: unknown };
    current = wrapper.driverError ?? wrapper.thrownValue ?? wrapper.cause;
  }
  return undefined;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseUnavailableCode(error) !== undefined;
}
