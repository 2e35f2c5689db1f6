import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateExampleClient } from './example-client';

/**
 * `npm run examples`: regenerates examples/client/ and examples/persisted-documents.json from the
 * operations and schema.graphql. With `--print` it writes nothing and prints the files as JSON
 * (the drift test uses it: the codegen CLI loads ESM-only packages that Jest cannot load on Node 20).
 */
async function main(): Promise<void> {
  const root = resolve(__dirname, '..', __dirname.includes(`${join('dist', 'scripts')}`) ? '..' : '.');
  const files = await generateExampleClient(root);
  if (process.argv.includes('--print')) {
    process.stdout.write(JSON.stringify(Object.fromEntries(files)));
    return;
  }
  for (const [path, content] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    process.stdout.write(`wrote ${path}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
