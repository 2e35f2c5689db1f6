import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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

  describe('against a database it cannot reach', () => {
    let silent: Server;
    let port: number;
    let dataDir: string;
    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'startup-'));
      // Accepts connections and never says a word, like a frozen or firewalled server.
      silent = createServer(() => undefined);
      await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
      port = (silent.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise((done) => silent.close(done));
      rmSync(dataDir, { recursive: true, force: true });
    });

    const start = (databaseUrl: string) =>
      new Promise<{ status: number | null; stderr: string }>((done) => {
        const child = spawn(process.execPath, [MAIN], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, DATABASE_CONNECT_TIMEOUT_MS: '300', LOG_LEVEL: 'silent' },
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('exit', (status) => done({ status, stderr }));
      });

    it('names the host and says it timed out when the server never answers', async () => {
      const result = await start(`mysql://gateway:s3cret@127.0.0.1:${port}/shop`);
      expect(result.stderr).toBe(`Start-up failed: the database at 127.0.0.1:${port} is unreachable (timed out after 300 ms; check DATABASE_URL)\n`);
      expect(result.status).toBe(1);
    });

    it('names the host and says the connection was refused when nothing listens', async () => {
      const closed = createServer();
      await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
      const closedPort = (closed.address() as { port: number }).port;
      await new Promise((done) => closed.close(done));
      const result = await start(`mysql://gateway:s3cret@127.0.0.1:${closedPort}/shop`);
      expect(result.stderr).toBe(`Start-up failed: the database at 127.0.0.1:${closedPort} is unreachable (connection refused; check DATABASE_URL)\n`);
      expect(result.stderr).not.toContain('s3cret');
    });
  });
});
