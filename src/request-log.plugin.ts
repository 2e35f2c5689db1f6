import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { claimFailureLog } from './common/request-scope';
import type { GatewayContext } from './context';
import type { RequestPlugin } from './common/request-plugins';
import { databaseUnavailableCode, isDatabaseUnavailable } from './db/database-unavailable';
import { describeError, type Logger } from './logger';

/**
 * One log line per GraphQL request: request id, operation name, viewer kind, error codes and
 * duration. Never variables or results. Unexpected errors are logged with their type and stack
 * frames (not their message) so the generic client error can be traced by request id.
 */
export function requestLogPlugin(logger: Logger): RequestPlugin<GatewayContext> {
  return ({ contextValue }) => {
    const started = process.hrtime.bigint();
    return {
      didEncounterErrors({ errors }) {
        for (const error of errors) {
          const original = unwrapResolverError(error);
          if (original instanceof GraphQLError) continue;
          if (isDatabaseUnavailable(original)) {
            logDatabaseUnavailable(logger, contextValue.requestId, original);
            continue;
          }
          logger.error({ requestId: contextValue.requestId, path: error.path, error: describeError(original) }, 'unexpected error');
        }
      },
      willSendResponse({ operationName, errors }) {
        logger.info(
          {
            requestId: contextValue.requestId,
            operationName: operationName ?? undefined,
            viewer: contextValue.viewer.kind,
            errorCodes: errors?.map((error) => error.extensions?.code),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          },
          'graphql request',
        );
      },
    };
  };
}

/**
 * The one log line of a request that failed because the database was unavailable (unreachable,
 * not answering, busy, out of time): its id and the driver's code, nothing personal. Later
 * failures of the same request are not logged again.
 */
export function logDatabaseUnavailable(logger: Logger, requestId: string, error: unknown): void {
  if (!claimFailureLog()) return;
  logger.warn({ requestId, cause: databaseUnavailableCode(error) ?? describeError(error).type }, 'database unavailable; answered SERVICE_UNAVAILABLE');
}
