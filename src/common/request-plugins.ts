import type {
  ApolloServerPlugin,
  GraphQLRequestContext,
  GraphQLRequestContextDidEncounterErrors,
  GraphQLRequestContextDidResolveOperation,
  GraphQLRequestContextWillSendResponse,
  GraphQLRequestListener,
} from '@apollo/server';

/**
 * What one of the gateway's request plugins does at the stages it cares about. A hook returns a
 * promise only when it has something to wait for; a throw or a rejection fails the stage as it
 * would in Apollo (GraphQL answers with the error).
 */
export interface RequestHooks<TContext extends object> {
  didResolveOperation?(request: GraphQLRequestContextDidResolveOperation<TContext>): void | Promise<void>;
  didEncounterErrors?(request: GraphQLRequestContextDidEncounterErrors<TContext>): void | Promise<void>;
  willSendResponse?(request: GraphQLRequestContextWillSendResponse<TContext>): void | Promise<void>;
}

/** A request plugin: called once per GraphQL request, returns its hooks for that request (or none). */
export type RequestPlugin<TContext extends object> = (request: GraphQLRequestContext<TContext>) => RequestHooks<TContext> | undefined;

type Stage = keyof RequestHooks<object>;

/**
 * The gateway's request plugins as one Apollo plugin. Apollo awaits each request listener at each
 * of a request's stages, whether or not it has a hook there: five listeners made some forty
 * promises per request (each also paying the request scope's AsyncLocalStorage hook), for three
 * stages that mostly do synchronous work. Here a stage costs one call, and a promise only where a
 * hook returned one. The hooks of one stage all run, in the order given, and the stage fails with
 * the first failure, as with Apollo's Promise.all.
 */
export function requestPlugins<TContext extends object>(plugins: readonly RequestPlugin<TContext>[]): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart(request) {
      const hooks: RequestHooks<TContext>[] = [];
      for (const plugin of plugins) {
        const pluginHooks = plugin(request);
        if (pluginHooks) hooks.push(pluginHooks);
      }
      // Apollo awaits whatever a hook returns: undefined when nothing was pending is fine at run time.
      return {
        didResolveOperation: (stageRequest) => runStage(hooks, 'didResolveOperation', stageRequest),
        didEncounterErrors: (stageRequest) => runStage(hooks, 'didEncounterErrors', stageRequest),
        willSendResponse: (stageRequest) => runStage(hooks, 'willSendResponse', stageRequest),
      } as GraphQLRequestListener<TContext>;
    },
  };
}

function runStage<TContext extends object, S extends Stage>(
  hooks: readonly RequestHooks<TContext>[],
  stage: S,
  request: Parameters<NonNullable<RequestHooks<TContext>[S]>>[0],
): Promise<void> | undefined {
  let pending: unknown[] | undefined;
  for (const hook of hooks) {
    const call = hook[stage] as ((this: RequestHooks<TContext>, request: unknown) => unknown) | undefined;
    if (!call) continue;
    try {
      const result = call.call(hook, request);
      if (result instanceof Promise) (pending ??= []).push(result);
    } catch (error) {
      // The hooks after it still run, as they would have as separate Apollo listeners.
      (pending ??= []).push(Promise.reject(error));
    }
  }
  return pending && Promise.all(pending).then(() => undefined);
}
