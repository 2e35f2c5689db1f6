import { ConfigError, loadConfig } from './config';
import { DatabaseUnreachableError } from './db/data-source';
import { startGateway } from './gateway';
import { createLogger, describeError } from './logger';

/** Boot: config → data source → schema → listen. Exits non-zero with one line when it cannot. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let gateway;
  try {
    gateway = await startGateway(config, logger);
  } catch (error) {
    logger.fatal({ error: describeError(error) }, 'start-up failed');
    process.stderr.write(`Start-up failed: ${startupProblem(error)}\n`);
    process.exit(1);
  }
  logger.info({ url: gateway.url, database: config.database.kind, nodeEnv: config.nodeEnv }, 'gateway listening');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

function startupProblem(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') return 'the port is already in use (set PORT)';
  if (error instanceof DatabaseUnreachableError) return error.message; // names host and port, never credentials
  if (code === 'ECONNREFUSED' || code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_BAD_DB_ERROR')
    return `cannot reach the database (${code}; check DATABASE_URL)`;
  return error instanceof Error ? error.constructor.name : 'unknown error';
}

void main();
