import type { Logger } from 'typeorm';

/**
 * A TypeORM logger that only tells of statements, with their parameterised text (tests and the
 * benchmark count statements per request).
 */
export function countingLogger(onQuery: (sql: string) => void): Logger {
  const ignore = () => undefined;
  return { logQuery: (sql: string) => onQuery(sql), logQueryError: ignore, logQuerySlow: ignore, logSchemaBuild: ignore, logMigration: ignore, log: ignore };
}
