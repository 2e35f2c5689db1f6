import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './context';
import { describeError, type Logger } from './logger';

/**
 * One log line per GraphQL request: request id, operation name, viewer kind, error codes and
 * duration. Never variables or results. Unexpected errors are logged with their type and stack
 * frames (not their message) so the generic client error can be traced by request id.
 */
export function requestLogPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (original instanceof GraphQLError) continue;
            logger.error({ requestId: contextValue.requestId, path: error.path, error: describeError(original) }, 'unexpected error');
          }
        },
        async willSendResponse({ operationName, errors }) {
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
    },
  };
}
