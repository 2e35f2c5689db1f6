import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import type { TestDatabase } from './test-database';

/**
 * A MariaDB server of the test's own (`mariadb-install-db` into a temporary directory, its own
 * port and socket, run as a child process), so a test can freeze, kill and restart it. Only this
 * child's pid is ever signalled: the shared server at 3306 is never touched.
 */
export class OwnMariaDb {
  private child: ChildProcess | undefined;

  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly serverArgs: string[],
  ) {}

  /** `serverArgs` are extra mariadbd options, e.g. `--character-set-server=latin1`. */
  static async start(serverArgs: string[] = []): Promise<OwnMariaDb> {
    const dir = mkdtempSync(join(tmpdir(), 'own-mariadb-'));
    await promisify(execFile)('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${join(dir, 'data')}`,
      '--auth-root-authentication-method=normal',
      '--user=root',
      '--skip-test-db',
      '--innodb-log-file-size=8M',
    ]);
    const server = new OwnMariaDb(dir, await freePort(), serverArgs);
    await server.restart();
    return server;
  }

  get pid(): number {
    if (!this.child?.pid) throw new Error('the own MariaDB server is not running');
    return this.child.pid;
  }

  /** mysql://root@127.0.0.1:<port>[/database] */
  url(database = ''): string {
    return `mysql://root@127.0.0.1:${this.port}${database ? `/${database}` : ''}`;
  }

  /** A fresh database on this server (default character set unless given), as test-database.ts makes them. */
  async createDatabase(name: string, characterSet?: string): Promise<TestDatabase> {
    await this.admin(`CREATE DATABASE \`${name}\`${characterSet ? ` CHARACTER SET ${characterSet}` : ''}`);
    return {
      kind: 'mariadb',
      url: this.url(name),
      drop: async () => {
        await this.admin(`DROP DATABASE IF EXISTS \`${name}\``);
      },
    };
  }

  async admin(sql: string): Promise<unknown> {
    const connection = await createConnection({ uri: this.url(), connectTimeout: 2000 });
    try {
      const [rows] = await connection.query(sql);
      return rows;
    } finally {
      await connection.end();
    }
  }

  /**
   * SIGSTOP: the server keeps its sockets but answers nothing. Resolves once every thread of it is
   * stopped: the signal only starts the group stop, and on a loaded machine a thread already
   * running finished a statement after `kill` had returned (a CI run saw /readyz answer 200 there).
   */
  async freeze(): Promise<void> {
    process.kill(this.pid, 'SIGSTOP');
    const tasks = `/proc/${this.pid}/task`;
    const deadline = Date.now() + 5000;
    // A thread that has exited meanwhile (no stat file, or a zombie) counts as stopped.
    const threadStopped = (task: string) => {
      try {
        return /^\d+ \(.*\) [tTZ] /.test(readFileSync(`${tasks}/${task}/stat`, 'utf8'));
      } catch {
        return true;
      }
    };
    const stopped = () => readdirSync(tasks).every(threadStopped);
    while (!stopped()) {
      if (Date.now() > deadline) throw new Error('the own MariaDB server did not stop');
      await sleep(1);
    }
  }

  thaw(): void {
    process.kill(this.pid, 'SIGCONT');
  }

  /** SIGKILL, as a crash; resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(this.pid, 'SIGKILL');
    await exited;
    this.child = undefined;
  }

  /**
   * Starts (again) on the same port and data directory; resolves once it answers. A server that
   * exits while starting is started again until the deadline: in one CI run on two busy cores the
   * first start after a SIGKILL exited before it answered (cause not kept); the error now carries
   * its log's end.
   */
  async restart(): Promise<void> {
    const deadline = Date.now() + 30_000;
    let exits = 0;
    this.child = this.spawnServer();
    for (;;) {
      try {
        await this.admin('SELECT 1');
        return;
      } catch (error) {
        const exited = this.child.exitCode !== null || this.child.signalCode !== null;
        if (Date.now() > deadline) {
          throw new Error(`own MariaDB did not start (${exits} early exits): ${(error as Error).message}; log ends: ${this.logTail()}`, { cause: error });
        }
        if (exited) {
          exits += 1;
          await sleep(250);
          this.child = this.spawnServer();
        } else await sleep(50);
      }
    }
  }

  private spawnServer(): ChildProcess {
    return spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${join(this.dir, 'data')}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(this.dir, 'mariadb.sock')}`,
        `--pid-file=${join(this.dir, 'mariadb.pid')}`,
        `--log-error=${join(this.dir, 'error.log')}`,
        '--user=root',
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=16M',
        '--innodb-log-file-size=8M',
        ...this.serverArgs,
      ],
      { stdio: 'ignore' },
    );
  }

  /** The last lines of the server's error log (a test database: no personal data). */
  private logTail(): string {
    try {
      return readFileSync(join(this.dir, 'error.log'), 'utf8').trim().split('\n').slice(-4).join(' | ');
    } catch {
      return '(no log)';
    }
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      process.kill(this.pid, 'SIGCONT'); // a frozen server cannot act on SIGTERM
      await this.kill();
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
