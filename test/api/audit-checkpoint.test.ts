import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compactVerify, createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { MoreThan } from 'typeorm';
import { AuditChainHeadEntity } from '../../src/audit/audit-chain-head.entity';
import { AuditCheckpointEntity } from '../../src/audit/audit-checkpoint.entity';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { sequenceAll } from '../support/audit';
import { registerMember } from '../support/members';
import { useGateway } from '../support/use-gateway';

// The compiled script, as `npm run audit:verify` runs it (dist/ is built before the tests run).
const SCRIPT = resolve(__dirname, '../../dist/scripts/audit-verify.js');
const MEMBER = `query($id: ID!, $purpose: String!) { member(id: $id, purpose: $purpose) { phone birthDate } }`;

describe('audit checkpoints, their keys and npm run audit:verify', () => {
  const { t, idp } = useGateway({ staff: true, env: { AUDIT_SEQUENCE_INTERVAL_SECONDS: '3600' } });
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'audit-verify-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const getJson = async (path: string) => {
    const response = await fetch(`${t.origin}${path}`);
    return { status: response.status, cacheControl: response.headers.get('cache-control'), body: (await response.json()) as Record<string, unknown> };
  };
  const read = async (count: number) => {
    const { member } = await registerMember(t.client);
    const support = await idp.sign({ roles: ['SUPPORT'] }, { subject: 'agent-checkpoint' });
    for (let i = 0; i < count; i += 1)
      expect((await t.client.request(MEMBER, { id: member.id, purpose: `TICKET-${i}` }, { token: support })).errors).toBeUndefined();
  };
  /** Runs the script with only the public JWKS file and the database URL (an empty DATA_DIR: no keys.json to lean on). */
  const auditVerify = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [SCRIPT, '--jwks', join(scratch, 'audit-keys.json'), ...args],
        { env: { PATH: process.env.PATH ?? '', DATABASE_URL: t.database.url, DATA_DIR: join(scratch, 'no-keys') }, timeout: 20_000 },
        (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('answers { "checkpoint": null } before the first checkpoint', async () => {
    expect(await getJson('/.well-known/audit-checkpoint')).toMatchObject({ status: 200, cacheControl: 'no-store', body: { checkpoint: null } });
  });

  it('publishes the latest checkpoint: a compact JWS over size, head and iat, verified with /.well-known/audit-keys.json', async () => {
    await read(3);
    await sequenceAll(t);
    const { body } = await getJson('/.well-known/audit-checkpoint');
    const keys = (await getJson('/.well-known/audit-keys.json')).body as unknown as JSONWebKeySet;
    const { payload, protectedHeader } = await compactVerify(body.checkpoint as string, createLocalJWKSet(keys));
    const [last] = await t.dataSource.getRepository(AuditEventEntity).find({ order: { seq: 'DESC' }, take: 1 });
    const signed = JSON.parse(new TextDecoder().decode(payload));
    expect(signed).toMatchObject({ size: last!.seq, head: last!.hash, base: 0, baseHead: '0'.repeat(64) });
    expect(Math.abs(signed.iat - Date.now() / 1000)).toBeLessThan(120);
    expect(protectedHeader).toMatchObject({ typ: 'audit-checkpoint+jws', kid: keys.keys[0]!.kid });
  });

  it('keeps the audit keys apart from the member-token keys: neither set verifies what the other signs', async () => {
    const audit = (await getJson('/.well-known/audit-keys.json')).body as unknown as JSONWebKeySet;
    const members = (await getJson('/.well-known/jwks.json')).body as unknown as JSONWebKeySet;
    const ids = (set: JSONWebKeySet) => set.keys.flatMap((key) => [key.kid, key.x]);
    expect(ids(audit).filter((id) => ids(members).includes(id))).toEqual([]);
    for (const key of audit.keys) {
      expect(key).not.toHaveProperty('d');
      expect(key).toMatchObject({ use: 'sig', key_ops: ['verify'] });
    }
    const { accessToken } = await registerMember(t.client);
    await expect(jwtVerify(accessToken, createLocalJWKSet(audit))).rejects.toThrow();
    const { checkpoint } = (await getJson('/.well-known/audit-checkpoint')).body;
    await expect(compactVerify(checkpoint as string, createLocalJWKSet(members))).rejects.toThrow();
  });

  it('lets npm run audit:verify check the chain with the public keys only, and exit non-zero on a break', async () => {
    writeFileSync(join(scratch, 'audit-keys.json'), JSON.stringify((await getJson('/.well-known/audit-keys.json')).body));
    await read(2);
    await sequenceAll(t);
    const kept = (await getJson('/.well-known/audit-checkpoint')).body.checkpoint as string;
    const intact = await auditVerify('--checkpoint', kept);
    expect(intact).toMatchObject({ code: 0, stderr: '' });
    expect(intact.stdout).toContain('audit chain: intact');
    expect(intact.stdout).toMatch(/kept checkpoint \(size \d+\): in the chain/);

    const events = t.dataSource.getRepository(AuditEventEntity);
    const victim = await events.findOneByOrFail({ seq: 2 });
    await events.update({ id: victim.id }, { outcome: 'ALLOW' });
    const edited = await auditVerify();
    await events.update({ id: victim.id }, { outcome: victim.outcome });
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain('EDITED at entry 2');

    // Cut back to an earlier checkpoint, newer checkpoints and the head made to agree: only a kept checkpoint shows it.
    const checkpoints = t.dataSource.getRepository(AuditCheckpointEntity);
    const [, earlier] = await checkpoints.find({ order: { size: 'DESC' }, take: 2 });
    const [rows, signed, head] = [
      await events.findBy({ seq: MoreThan(earlier!.size) }),
      await checkpoints.findBy({ size: MoreThan(earlier!.size) }),
      await t.dataSource.getRepository(AuditChainHeadEntity).findOneByOrFail({ id: 1 }),
    ];
    await events.delete({ seq: MoreThan(earlier!.size) });
    await checkpoints.delete({ size: MoreThan(earlier!.size) });
    await t.dataSource.getRepository(AuditChainHeadEntity).update({ id: 1 }, { lastSeq: earlier!.size, lastHash: earlier!.head });
    try {
      expect((await auditVerify()).code).toBe(0);
      const rolledBack = await auditVerify('--checkpoint', kept);
      expect(rolledBack.code).toBe(1);
      expect(rolledBack.stdout).toContain('ROLLED_BACK');
    } finally {
      await events.save(rows);
      await checkpoints.save(signed);
      await t.dataSource.getRepository(AuditChainHeadEntity).save(head);
    }
    expect((await auditVerify('--checkpoint', kept)).code).toBe(0);
  });

  it('refuses to run without --jwks (exit status 2)', async () => {
    const result = await new Promise<{ code: number; stderr: string }>((done) =>
      execFile(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? '' } }, (error, _stdout, stderr) =>
        done({ code: Number(error?.code ?? 0), stderr }),
      ),
    );
    expect(result).toEqual({ code: 2, stderr: expect.stringContaining('usage: npm run audit:verify') });
  });
});
