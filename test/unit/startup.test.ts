import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

// Runs the built entry point (dist/ is produced by `npm run build` before the tests run).
const ROOT = resolve(__dirname, '../..');
const MAIN = resolve(ROOT, 'dist/src/main.js');

describe('gateway start-up', () => {
  it('refuses to start on a bad PORT with one clear line and exit status 78', () => {
    const result = spawnSync(process.execPath, [MAIN], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: 'abc' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(result.error).toBeUndefined();
    expect(result.signal).toBeNull();
    expect(result.stderr).toBe('Invalid configuration: PORT must be a port number (0-65535)\n');
    expect(result.status).toBe(78);
    expect(result.stdout).toBe('');
  });
});
