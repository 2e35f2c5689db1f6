import type { ApolloServerPlugin } from '@apollo/server';

// Everything comes from the gateway (the CSP says so to the browser): no CDN, works offline.
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'" />
  <link rel="icon" href="data:," />
  <title>Member privacy gateway — GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/assets/graphiql.css" />
</head>
<body style="margin:0">
  <div id="graphiql" style="height:100vh"></div>
  <script src="/graphiql/assets/graphiql.js"></script>
</body>
</html>`;

/** Serves GraphiQL on GET /graphql (browsers asking for HTML), so developers see each field's policy text. */
export function graphiqlLandingPagePlugin(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: PAGE };
        },
      };
    },
  };
}
