import { generateKeyPairSync, randomBytes, randomUUID, type JsonWebKey } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config';

export type Jwk = JsonWebKey & { kid: string; alg?: string };

/** Key material the gateway runs with. Never logged, never sent anywhere but to its consumers. */
export interface Secrets {
  /** Private key that signs member tokens. */
  signingKey: Jwk;
  /** Public keys of earlier signing keys, still accepted and published during a rotation. */
  previousVerificationKeys: Jwk[];
  /** Master secret for field encryption and blind indexes. */
  masterSecret: Buffer;
  /** Private key that signs audit checkpoints, and nothing else. */
  auditSigningKey: Jwk;
  /** Public keys of earlier audit signing keys, still published so that old checkpoints verify. */
  previousAuditVerificationKeys: Jwk[];
  /** Outside production only: a local "identity provider" key that `npm run token` signs with. */
  devStaffKey?: Jwk;
}

interface KeyFile {
  signingKey: Jwk;
  dataEncryptionKey: string;
  devStaffKey: Jwk;
  auditSigningKey: Jwk;
}

/**
 * In production every key comes from the configuration (checked by config.ts). Elsewhere, keys
 * not configured are generated once into DATA_DIR/keys.json (mode 0600) and reused on restart, so
 * tokens and ciphertexts survive a restart of the embedded default.
 */
export function loadSecrets(config: Config): Secrets {
  const previousVerificationKeys = config.previousVerificationKeys ? (JSON.parse(config.previousVerificationKeys) as { keys: Jwk[] }).keys : [];
  const previousAuditVerificationKeys = config.auditPreviousVerificationKeys ? (JSON.parse(config.auditPreviousVerificationKeys) as { keys: Jwk[] }).keys : [];
  if (config.production) {
    return {
      signingKey: JSON.parse(config.signingKey!) as Jwk,
      previousVerificationKeys,
      masterSecret: Buffer.from(config.dataEncryptionKey!, 'base64'),
      auditSigningKey: JSON.parse(config.auditSigningKey!) as Jwk,
      previousAuditVerificationKeys,
    };
  }
  const local = readOrCreateKeyFile(config.dataDir);
  return {
    signingKey: config.signingKey ? (JSON.parse(config.signingKey) as Jwk) : local.signingKey,
    previousVerificationKeys,
    masterSecret: Buffer.from(config.dataEncryptionKey ?? local.dataEncryptionKey, 'base64'),
    auditSigningKey: config.auditSigningKey ? (JSON.parse(config.auditSigningKey) as Jwk) : local.auditSigningKey,
    previousAuditVerificationKeys,
    devStaffKey: local.devStaffKey,
  };
}

/** Path of the generated key file; `npm run token` reads the dev staff key from it. */
export const keyFilePath = (dataDir: string) => join(dataDir, 'keys.json');

export function readOrCreateKeyFile(dataDir: string): KeyFile {
  const path = keyFilePath(dataDir);
  try {
    return withAuditKey(path, JSON.parse(readFileSync(path, 'utf8')) as Partial<KeyFile> & Omit<KeyFile, 'auditSigningKey'>);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const created: KeyFile = {
    signingKey: newSigningKey(),
    dataEncryptionKey: randomBytes(32).toString('base64'),
    devStaffKey: newSigningKey(),
    auditSigningKey: newAuditKey(),
  };
  try {
    writeFileSync(path, JSON.stringify(created, null, 2), { mode: 0o600, flag: 'wx' });
    return created;
  } catch (error) {
    // Another process created it first: use theirs, so both agree.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
    throw error;
  }
}

/** A key file written before audit checkpoints existed gets its audit key added, once. */
function withAuditKey(path: string, file: Partial<KeyFile> & Omit<KeyFile, 'auditSigningKey'>): KeyFile {
  if (file.auditSigningKey) return file as KeyFile;
  const upgraded: KeyFile = { ...file, auditSigningKey: newAuditKey() };
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(upgraded, null, 2), { mode: 0o600 });
  renameSync(temporary, path);
  // Two processes upgrading at once: the last rename wins, and reading back makes both use it.
  return JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
}

/** Ed25519 and an `audit-` kid: nothing about it resembles a member-token key. */
function newAuditKey(): Jwk {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { ...privateKey.export({ format: 'jwk' }), kid: `audit-${randomUUID()}`, alg: 'EdDSA' };
}

function newSigningKey(): Jwk {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'ES256' };
}
