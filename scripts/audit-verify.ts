import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JWK } from 'jose';
import { Between, type EntityManager, IsNull, MoreThan, Not } from 'typeorm';
import { AuditCheckpointEntity } from '../src/audit/audit-checkpoint.entity';
import { AuditEventEntity } from '../src/audit/audit-event.entity';
import { ChainVerifier } from '../src/audit/chain-verifier';
import type { CheckpointPayload } from '../src/audit/signing/checkpoint-payload';
import { CheckpointVerifier } from '../src/audit/signing/checkpoint-verifier';
import { ConfigError, loadDatabaseConfig } from '../src/config';
import { createDataSource } from '../src/db/data-source';

const USAGE = 'usage: npm run audit:verify -- --jwks <audit-keys.json file or URL> [--checkpoint <compact JWS kept earlier>]';
const PAGE = 1000;

class UsageError extends Error {}

/**
 * `npm run audit:verify`: checks the audit trail with nothing but the public audit keys (the JWKS
 * of /.well-known/audit-keys.json, as a file or URL) and read access to DATABASE_URL, over one
 * consistent snapshot: every checkpoint's signature, the whole chain re-computed from the signed
 * base to each checkpoint's head, no sequenced entry beyond the latest checkpoint, and, with
 * --checkpoint, that a checkpoint kept outside the database (e.g. fetched earlier from
 * /.well-known/audit-checkpoint) is still part of the chain. Prints a short report; exits 1 on any
 * break, 2 on a usage or configuration error.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { jwks: { type: 'string' }, checkpoint: { type: 'string' } } });
  if (!values.jwks) throw new UsageError(USAGE);
  const verifier = await CheckpointVerifier.fromJwks(await readJwks(values.jwks));
  const dataSource = await createDataSource(loadDatabaseConfig());
  await dataSource.initialize();
  try {
    const audit = (manager: EntityManager) => verifyAll(manager, verifier, values.checkpoint);
    const problems = await (dataSource.options.type === 'better-sqlite3' ? dataSource.transaction(audit) : dataSource.transaction('REPEATABLE READ', audit));
    if (problems.length === 0) {
      process.stdout.write('audit chain: intact\n');
      return 0;
    }
    process.stdout.write(`audit chain: BROKEN\n${problems.map((problem) => `  - ${problem}\n`).join('')}`);
    return 1;
  } finally {
    await dataSource.destroy();
  }
}

async function verifyAll(manager: EntityManager, verifier: CheckpointVerifier, kept: string | undefined): Promise<string[]> {
  const problems: string[] = [];
  const report = await new ChainVerifier(verifier).check(manager, { full: true });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  if (!report.intact) problems.push(`${report.problem} at entry ${report.firstBrokenEntry ?? '-'}`);
  const latestRow = await manager.findOne(AuditCheckpointEntity, { where: {}, order: { size: 'DESC', base: 'DESC' } });
  const latest = latestRow ? await verifier.verify(latestRow.jws).catch(() => null) : null;
  const base = latest?.base ?? 0;
  say(latest ? `latest checkpoint: size ${latest.size}, base ${base}, signed ${new Date(latest.iat * 1000).toISOString()}` : 'checkpoints: none');
  say(`entries re-computed: ${report.checkedEntries}`);

  // Checkpoints the walk does not reach (their entries were removed by retention): signatures only.
  let expired = 0;
  for (let after = -1; ;) {
    const rows = await manager.find(AuditCheckpointEntity, { where: { size: Between(after + 1, base) }, order: { size: 'ASC' }, take: PAGE });
    for (const row of rows) {
      expired += 1;
      const payload = await verifier.verify(row.jws).catch(() => null);
      if (!payload || payload.size !== row.size || payload.base !== row.base) problems.push(`BAD_CHECKPOINT at size ${row.size}`);
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.size;
  }
  if (expired > 0) say(`checkpoints before the retained entries (signature only): ${expired}`);

  const unsigned = await manager.count(AuditEventEntity, { where: { seq: MoreThan(latest?.size ?? 0) } });
  if (unsigned > 0) problems.push(`UNSIGNED_ENTRIES: ${unsigned} sequenced entries after the latest checkpoint`);
  const unsequenced = await manager.find(AuditEventEntity, { where: { seq: IsNull() }, order: { occurredAt: 'ASC', id: 'ASC' }, take: 1 });
  const waiting = await manager.count(AuditEventEntity, { where: { seq: IsNull() } });
  say(`not yet sequenced: ${waiting}${unsequenced[0] ? ` (oldest written ${unsequenced[0].occurredAt.toISOString()})` : ''}`);

  if (kept) problems.push(...(await checkKept(manager, verifier, kept, latest)));
  return problems;
}

/** A checkpoint kept outside the database must still be covered: not newer than the latest, and its head in the chain. */
async function checkKept(manager: EntityManager, verifier: CheckpointVerifier, jws: string, latest: CheckpointPayload | null): Promise<string[]> {
  let kept: CheckpointPayload;
  try {
    kept = await verifier.verify(jws);
  } catch {
    return ['BAD_CHECKPOINT: the --checkpoint given does not verify with these keys'];
  }
  if (!latest || kept.size > latest.size || (kept.size === latest.size && kept.base > latest.base)) {
    return [`ROLLED_BACK: the kept checkpoint (size ${kept.size}) is newer than the latest in the database`];
  }
  if (kept.size <= latest.base) {
    process.stdout.write(`kept checkpoint (size ${kept.size}): its entries were removed by retention since\n`);
    return [];
  }
  const entry = await manager.findOne(AuditEventEntity, { where: { seq: kept.size, hash: Not(IsNull()) } });
  if (!entry) return [`TRUNCATED: entry ${kept.size} of the kept checkpoint is gone`];
  if (entry.hash !== kept.head) return [`CHECKPOINT_MISMATCH: entry ${kept.size} no longer hashes to the kept checkpoint's head`];
  process.stdout.write(`kept checkpoint (size ${kept.size}): in the chain\n`);
  return [];
}

async function readJwks(source: string): Promise<{ keys: JWK[] }> {
  let jwks: { keys?: JWK[] };
  try {
    jwks = JSON.parse(/^https?:\/\//.test(source) ? await (await fetch(source)).text() : readFileSync(source, 'utf8')) as { keys?: JWK[] };
  } catch {
    throw new UsageError(`--jwks: could not read a JWKS document from ${source}`);
  }
  if (!Array.isArray(jwks?.keys)) throw new UsageError('--jwks must name a JWKS document ({"keys": [...]})');
  // Only public parts are used: a private key handed in by mistake is never needed here.
  return { keys: jwks.keys.map(({ d: _private, ...publicPart }) => publicPart) };
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    const usage = error instanceof UsageError || error instanceof ConfigError;
    process.stderr.write(`${usage ? error.message : `audit:verify failed: ${error.constructor.name}: ${error.message}`}\n`);
    process.exit(usage ? 2 : 1);
  },
);
