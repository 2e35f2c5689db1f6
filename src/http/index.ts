// The GraphQL route on plain node:http (the hot path): CORS, body, trusted document ids, deadline,
// then Apollo Server. The other routes (probes, keys, metrics, GraphiQL assets) stay on Express in
// server.ts, which dispatches between the two.
export { graphqlRoute, type GraphqlExchange } from './graphql-route';
export { httpErrorBody } from './http-error-body';
