import { loadConfig } from '../../src/config';
import { MasterKeys } from '../../src/crypto/master-keys';
import { loadSecrets } from '../../src/secrets';
import { reportStatsOnSignal } from '../server-stats';
import { MemberColumns } from './floor-crypto';
import { floorSchema } from './floor-schema';
import { floorServer } from './floor-server';
import { isoDate, mysqlSql, sqliteSql } from './floor-sql';
import { FloorStore } from './floor-store';
import { FloorTokens } from './floor-tokens';

/**
 * T1, the floor (`node dist/bench/floor/main.js`, started by bench/run.ts): bare graphql-js on
 * node:http with mysql2 or better-sqlite3, node:crypto and jose — no Apollo, type-graphql or
 * TypeORM — serving the gateway's data from the gateway's database (same environment, same keys
 * file): per request a token check and a session check, the member's data key unwrapped, each
 * column opened. Prints `READY <url>` when listening.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const secrets = loadSecrets(config);
  if (secrets.signingKey.kty !== 'EC' || secrets.signingKey.crv !== 'P-256') throw new Error('the floor verifies ES256 (P-256) member tokens only');
  const keyEncryptionKey = new MasterKeys(secrets.masterSecret).keyEncryptionKey;
  const tokens = await FloorTokens.create(secrets.signingKey, config.tokens);
  const store = new FloorStore(config.database.kind === 'sqlite' ? sqliteSql(config.database.path) : mysqlSql(config.database.url, config.database.poolSize));
  const server = floorServer(floorSchema(), async (authorization) => {
    const match = /^Bearer (\S+)$/i.exec(authorization ?? '');
    const claims = match ? await tokens.verify(match[1]!) : null;
    const viewer = claims ? await store.viewer(claims.sessionId, claims.memberId) : undefined;
    if (!claims || !viewer || Date.parse(isoDate(viewer.expires_at)) <= Date.now()) return null;
    if (viewer.tokens_valid_after !== null && claims.issuedAt < Date.parse(isoDate(viewer.tokens_valid_after)) / 1000) return null;
    return { store, viewer, columns: new MemberColumns(viewer.id, keyEncryptionKey, viewer.wrapped_key), minorAge: config.minorAge };
  });
  reportStatsOnSignal(() => store.statements);
  // Stopped by the runner: exit normally, so a --cpu-prof profile (BENCH_CPU_PROF) is written.
  process.on('SIGTERM', () => process.exit(0));
  server.listen(config.port, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    process.stdout.write(`READY http://127.0.0.1:${address.port}/graphql\n`);
  });
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
