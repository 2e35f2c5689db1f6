import type { RequestPlugin } from '../common/request-plugins';
import type { GatewayContext } from '../context';
import { viewerClass, type OperationLimits } from './budgets';
import { limitRefusal as refuse } from './limit-refusal';
import type { OperationDefinitionNode } from 'graphql';
import { measureOperation, type OperationMeasure } from './operation-cost';
import { SIGN_IN_MUTATIONS } from './sign-in-mutations';

/**
 * Refuses expensive operations before any resolver runs, with the budget of the viewer's class.
 * After the token count (document-size.guard.ts) and validation, the selected operation is
 * measured with its variables at didResolveOperation: validation rules see neither the variables
 * that `first: $n` needs nor the viewer. Checked in this order, the first exceeded limit answers:
 * MAX_DEPTH, MAX_ROOT_FIELDS (for a mutation, `scope` SIGN_IN_MUTATIONS then MUTATION), MAX_COST,
 * MAX_ALIASES.
 */
export function operationLimitsPlugin(limits: OperationLimits): RequestPlugin<GatewayContext> {
  // An operation without variables measures the same every time, and Apollo hands out the same
  // parsed document for the same text: measured once per parsed operation.
  const withoutVariables = new WeakMap<OperationDefinitionNode, OperationMeasure>();
  return ({ contextValue }) => {
    const budget = limits.budgets[viewerClass(contextValue.viewer)];
    return {
      didResolveOperation({ schema, document, operation, request }) {
        if (!operation) return;
        const measure = () => measureOperation(schema, document, operation, { variables: request.variables, assumedListSize: limits.assumedListSize });
        let measured = operation.variableDefinitions?.length ? measure() : withoutVariables.get(operation);
        if (!measured) withoutVariables.set(operation, (measured = measure()));
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
  };
}
