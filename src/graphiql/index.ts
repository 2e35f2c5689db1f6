// GraphiQL for developers, outside production only: the landing page on GET /graphql and its
// bundled assets. It owns no GraphQL behaviour; requests from it are ordinary client requests.
export { graphiqlLandingPagePlugin } from './graphiql.plugin';
export { graphiqlAssets } from './graphiql-assets';
