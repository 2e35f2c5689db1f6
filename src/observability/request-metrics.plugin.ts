import { Kind, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../context';
import { ErrorCode } from '../errors';
import type { RequestPlugin } from '../common/request-plugins';
import type { GatewayMetrics } from './gateway-metrics';

/**
 * Tells the metrics what GraphQL learnt about a request: its operation (type and name), its
 * result, and each RATE_LIMITED refusal by the root field it refused (the throttle).
 */
export function requestMetricsPlugin(metrics: GatewayMetrics): RequestPlugin<GatewayContext> {
  return ({ contextValue }) => {
    const observation = metrics.observationOf(contextValue);
    return {
      didResolveOperation({ operation, operationName }) {
        if (operation) observation?.describe(operation.operation, operationName);
      },
      didEncounterErrors({ errors, operation }) {
        for (const error of errors) {
          if (error.extensions?.code !== ErrorCode.RATE_LIMITED) continue;
          const responseKey = error.path?.[0];
          metrics.throttleRejected(typeof responseKey === 'string' ? rootFieldName(operation, responseKey) : '');
        }
      },
      willSendResponse({ response }) {
        observation?.answered(response.body.kind === 'single' ? response.body.singleResult : undefined);
      },
    };
  };
}

/** The schema name of the root field answered under `responseKey` (which may be an alias). */
function rootFieldName(operation: OperationDefinitionNode | undefined, responseKey: string): string {
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind === Kind.FIELD && (selection.alias?.value ?? selection.name.value) === responseKey) return selection.name.value;
  }
  return '';
}
