import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type RequestHandler } from 'express';

/**
 * The bundled GraphiQL files (scripts/build-graphiql.mjs writes them to dist/graphiql/), served
 * under /graphiql/assets outside production. Found from the compiled file and from the sources.
 */
export function graphiqlAssets(): RequestHandler {
  const root = resolve(__dirname, '..', '..');
  const dir = [join(root, 'graphiql'), join(root, 'dist', 'graphiql')].find((candidate) => existsSync(join(candidate, 'graphiql.js')));
  if (!dir) {
    return (_req, res) => {
      res.status(404).type('text/plain').send('GraphiQL is not built: run `npm run build`.');
    };
  }
  return express.static(dir, { fallthrough: false, index: false, maxAge: '1h' });
}
