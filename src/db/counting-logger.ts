import type { Logger } from 'typeorm';

/** A TypeORM logger that only counts statements (tests and the benchmark report statements per request); told each statement's parameterised text. */
export function countingLogger(onQuery: (sql: string) => void): Logger {
  const ignore = () => undefined;
  return { logQuery: (sql: string) => onQuery(sql), logQueryError: ignore, logQuerySlow: ignore, logSchemaBuild: ignore, logMigration: ignore, log: ignore };
}
