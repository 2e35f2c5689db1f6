// GraphiQL as the gateway serves it outside production: bundled at build time from npm packages
// (scripts/build-graphiql.mjs), so the page needs nothing but the gateway itself.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';

declare global {
  var MonacoEnvironment: { getWorker(workerId: string, label: string): Worker };
}

// Monaco's language workers are bundled beside this file and served from the same path.
const ASSETS = new URL('.', (document.currentScript as HTMLScriptElement | null)?.src ?? `${location.origin}/graphiql/assets/`);
globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const name = label === 'graphql' ? 'graphql.worker.js' : label === 'json' ? 'json.worker.js' : 'editor.worker.js';
    return new Worker(new URL(name, ASSETS));
  },
};

const EXAMPLE = `# Member privacy gateway. Every personal field shows its privacy policy in the docs pane (top left).
#
# Sign in with the "login" mutation, then put the token in the Headers tab below as
#   { "Authorization": "Bearer <accessToken>" }
# Consents you give here are recorded with the channel "graphiql".

{
  privacyPolicies {
    version
    publishedAt
  }
}
`;

// Requests name their channel, so consent decisions made here are recorded as made in GraphiQL.
const fetcher = createGraphiQLFetcher({ url: location.pathname, headers: { 'X-Client-Channel': 'graphiql' } });

const root = document.getElementById('graphiql');
if (root) {
  createRoot(root).render(<GraphiQL fetcher={fetcher} defaultQuery={EXAMPLE} shouldPersistHeaders={false} isHeadersEditorEnabled />);
}
