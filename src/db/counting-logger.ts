import type { Logger } from 'typeorm';

/** A TypeORM logger that only counts statements (tests and the benchmark report statements per request). */
export function countingLogger(onQuery: () => void): Logger {
  const ignore = () => undefined;
  return { logQuery: onQuery, logQueryError: ignore, logQuerySlow: ignore, logSchemaBuild: ignore, logMigration: ignore, log: ignore };
}
