// Bundles GraphiQL (React, Monaco and its language workers, styles and fonts) into dist/graphiql/
// with esbuild, so the page the gateway serves loads every asset from the gateway itself.
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(root, 'dist/graphiql');
const common = {
  bundle: true,
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
  target: 'es2022',
  define: { 'process.env.NODE_ENV': '"production"' },
};

await Promise.all([
  build({
    ...common,
    entryPoints: { graphiql: resolve(root, 'web/graphiql/index.tsx') },
    outdir,
    format: 'iife',
    jsx: 'automatic',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl' },
    assetNames: '[name]-[hash]',
  }),
  build({
    ...common,
    entryPoints: {
      'editor.worker': resolve(root, 'node_modules/monaco-editor/esm/vs/editor/editor.worker.js'),
      'json.worker': resolve(root, 'node_modules/monaco-editor/esm/vs/language/json/json.worker.js'),
      'graphql.worker': resolve(root, 'node_modules/monaco-graphql/esm/graphql.worker.js'),
    },
    outdir,
    format: 'iife',
  }),
]);
