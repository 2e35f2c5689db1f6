import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { requestPlugins, type RequestPlugin } from '../../src/common/request-plugins';

type Context = { seen: string[] };

async function run(plugins: RequestPlugin<Context>[], query = '{ hello }') {
  const server = new ApolloServer<Context>({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
    plugins: [requestPlugins(plugins)],
  });
  await server.start();
  const context: Context = { seen: [] };
  const response = await server.executeOperation({ query }, { contextValue: context });
  await server.stop();
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { result: response.body.singleResult, status: response.http.status, seen: context.seen };
}

describe('request plugins combined into one Apollo listener', () => {
  it('runs every hook of a stage in order even when an earlier one throws, and answers with the first failure', async () => {
    const { result, seen } = await run([
      ({ contextValue }) => ({
        didResolveOperation() {
          contextValue.seen.push('limits');
          throw new GraphQLError('refused', { extensions: { code: 'MAX_DEPTH' } });
        },
      }),
      ({ contextValue }) => ({
        didResolveOperation: async () => {
          contextValue.seen.push('metrics');
          throw new GraphQLError('second failure');
        },
        willSendResponse() {
          contextValue.seen.push('metrics sent');
        },
      }),
    ]);
    expect(seen).toEqual(['limits', 'metrics', 'metrics sent']);
    expect(result.data).toBeUndefined();
    expect(result.errors?.map((error) => error.message)).toEqual(['refused']);
  });

  it('waits for an asynchronous hook, which may replace the response before it leaves', async () => {
    const { result, status, seen } = await run([
      ({ contextValue }) => ({
        async willSendResponse({ response }) {
          await new Promise((resolve) => setImmediate(resolve));
          contextValue.seen.push('audit');
          if (response.body.kind === 'single') response.body.singleResult = { data: null, errors: [{ message: 'withheld' }] };
          response.http.status = 503;
        },
      }),
      ({ contextValue }) => ({
        willSendResponse({ response }) {
          // Runs before the asynchronous hook above has resumed: it sees the result as executed.
          contextValue.seen.push(response.body.kind === 'single' ? JSON.stringify(response.body.singleResult.data) : '');
        },
      }),
    ]);
    expect(seen).toEqual(['{"hello":"world"}', 'audit']);
    expect(result.errors?.[0]?.message).toBe('withheld');
    expect(status).toBe(503);
  });

  it('asks each plugin for its hooks once per request, and a plugin may have none', async () => {
    const asked: string[] = [];
    const { result } = await run([
      () => {
        asked.push('quiet');
        return undefined;
      },
      () => {
        asked.push('errors');
        return {};
      },
    ]);
    expect(result.data).toEqual({ hello: 'world' });
    expect(asked).toEqual(['quiet', 'errors']);
  });
});
