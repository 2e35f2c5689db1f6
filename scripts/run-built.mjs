// Runs a compiled script from dist/, compiling first only when a source is newer than the build,
// so `npm run token` answers at once and prints nothing but the script's own output on stdout.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [target, ...args] = process.argv.slice(2);
const compiled = join(root, 'dist', target);

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

let built = 0;
try {
  built = statSync(compiled).mtimeMs;
} catch {
  /* not built yet */
}
const sources = Math.max(...['src', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((entry) => newest(join(root, entry))));
if (sources > built) {
  // The compiler's output goes to stderr: stdout belongs to the script (a token, a report).
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] });
}
try {
  execFileSync(process.execPath, [compiled, ...args], { stdio: 'inherit' });
} catch (error) {
  // The script has said why on its own stderr; pass its exit status on (audit:verify's 1 and 2 differ).
  process.exit(typeof error.status === 'number' ? error.status : 1);
}
