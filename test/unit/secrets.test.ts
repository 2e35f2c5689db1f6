import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { keyFilePath, loadSecrets, readOrCreateKeyFile } from '../../src/secrets';

describe('generated keys outside production', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'secrets-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generates an Ed25519 audit signing key of its own next to the member-token key', () => {
    const keys = readOrCreateKeyFile(dataDir);
    expect(keys.auditSigningKey).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: expect.stringMatching(/^audit-/) });
    expect(keys.auditSigningKey.kid).not.toBe(keys.signingKey.kid);
    expect(loadSecrets(loadConfig({ DATA_DIR: dataDir })).auditSigningKey).toEqual(keys.auditSigningKey);
  });

  it('adds the audit key to a key file written before audit checkpoints, once, keeping the other keys', () => {
    const { auditSigningKey: _none, ...older } = readOrCreateKeyFile(join(dataDir, 'elsewhere'));
    writeFileSync(keyFilePath(dataDir), JSON.stringify(older), { mode: 0o600 });
    const upgraded = readOrCreateKeyFile(dataDir);
    expect(upgraded).toMatchObject(older);
    expect(upgraded.auditSigningKey.kid).toMatch(/^audit-/);
    expect(readOrCreateKeyFile(dataDir)).toEqual(upgraded);
    expect(JSON.parse(readFileSync(keyFilePath(dataDir), 'utf8'))).toEqual(upgraded);
    expect(statSync(keyFilePath(dataDir)).mode & 0o777).toBe(0o600);
  });
});
