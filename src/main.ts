import { ConfigError, loadConfig } from './config';
import { createLogger, describeError } from './logger';

// Nothing here may load graphql, mysql2 or http before tracing starts (its instrumentations patch
// them as they load): the gateway and the database layer are required only after it.

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
  const { otlpEndpoint } = config.tracing;
  const tracing = otlpEndpoint ? (await import('./observability/tracing')).startTracing({ otlpEndpoint }) : undefined;
  const { startGateway } = await import('./gateway');
  let gateway;
  try {
    gateway = await startGateway(config, logger);
  } catch (error) {
    logger.fatal({ error: describeError(error) }, 'start-up failed');
    process.stderr.write(`Start-up failed: ${await startupProblem(error)}\n`);
    await tracing?.shutdown().catch(() => undefined);
    process.exit(1);
  }
  logger.info({ url: gateway.url, database: config.database.kind, nodeEnv: config.nodeEnv }, 'gateway listening');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // The spans still buffered leave before the process does.
    gateway
      .stop()
      .finally(() => tracing?.shutdown().catch(() => undefined))
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

async function startupProblem(error: unknown): Promise<string> {
  const { DatabaseUnreachableError } = await import('./db/data-source');
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') return 'the port is already in use (set PORT)';
  if (error instanceof DatabaseUnreachableError) return error.message; // names host and port, never credentials
  if (code === 'ECONNREFUSED' || code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_BAD_DB_ERROR')
    return `cannot reach the database (${code}; check DATABASE_URL)`;
  return error instanceof Error ? error.constructor.name : 'unknown error';
}

void main();
