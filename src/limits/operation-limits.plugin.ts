import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import type { Logger } from '../logger';
import { viewerClass, type OperationLimits } from './budgets';
import { countTokens } from './document-tokens';
import { measureOperation } from './operation-cost';
import { SIGN_IN_MUTATIONS } from './sign-in-mutations';

/** The refusal: BAD_USER_INPUT with the reason, the limit and what was measured (400). */
const refuse = (reason: string, limit: number, measured: number, extra: Record<string, unknown> = {}) =>
  new GatewayError(ErrorCode.BAD_USER_INPUT, `The operation exceeds a limit (${reason}: ${limit}).`, {
    reason,
    limit,
    // Exponential fragment spreads can measure past what JSON can say.
    measured: Number.isFinite(measured) ? Math.min(measured, Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER,
    ...extra,
    http: { status: 400 },
  });

/**
 * Refuses expensive operations before any resolver runs, with the budget of the viewer's class.
 * Two steps: the document's tokens are counted before Apollo parses it (didResolveSource), then,
 * once validated, the selected operation is measured with its variables (didResolveOperation:
 * validation rules see neither the variables that `first: $n` needs nor the viewer). Checked in
 * this order, the first exceeded limit answers: MAX_TOKENS, MAX_DEPTH, MAX_ROOT_FIELDS (for a
 * mutation, `scope` SIGN_IN_MUTATIONS then MUTATION), MAX_COST, MAX_ALIASES.
 */
export function operationLimitsPlugin(limits: OperationLimits, logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const budget = limits.budgets[viewerClass(contextValue.viewer)];
      return {
        async didResolveSource({ source }) {
          const tokens = countTokens(source, budget.tokens);
          if (tokens > budget.tokens) {
            // Thrown before parsing, Apollo answers it directly: this plugin logs the request.
            logger.info({ requestId: contextValue.requestId, viewer: contextValue.viewer.kind, reason: 'MAX_TOKENS' }, 'operation refused');
            throw refuse('MAX_TOKENS', budget.tokens, countTokens(source));
          }
        },
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const measured = measureOperation(schema, document, operation, { variables: request.variables, assumedListSize: limits.assumedListSize });
          if (measured.depth > budget.depth) throw refuse('MAX_DEPTH', budget.depth, measured.depth);
          if (operation.operation === 'mutation') {
            const signIns = SIGN_IN_MUTATIONS.reduce((sum, name) => sum + (measured.rootFieldCounts[name] ?? 0), 0);
            if (signIns > 1) throw refuse('MAX_ROOT_FIELDS', 1, signIns, { scope: 'SIGN_IN_MUTATIONS' });
            const cap = Math.min(budget.rootFields, limits.maxRootMutations);
            if (measured.rootFields > cap) throw refuse('MAX_ROOT_FIELDS', cap, measured.rootFields, { scope: 'MUTATION' });
          } else if (measured.rootFields > budget.rootFields) {
            throw refuse('MAX_ROOT_FIELDS', budget.rootFields, measured.rootFields);
          }
          if (measured.cost > budget.cost) throw refuse('MAX_COST', budget.cost, measured.cost);
          if (measured.aliases > budget.aliases) throw refuse('MAX_ALIASES', budget.aliases, measured.aliases);
        },
      };
    },
  };
}
