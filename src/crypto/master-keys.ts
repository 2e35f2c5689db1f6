import { createHash, hkdfSync } from 'node:crypto';

/**
 * Derives the independent keys the gateway needs from the one configured master secret, so that
 * a blind index can never be used to decrypt and vice versa.
 */
export class MasterKeys {
  /** Wraps per-member data keys. */
  readonly keyEncryptionKey: Buffer;
  /** Keys the HMAC of blind indexes. */
  readonly blindIndexKey: Buffer;
  /** Keyed the audit trail's HMAC chain until it became SHA-256 under signed checkpoints; its migration checks old rows with it. */
  readonly auditKey: Buffer;
  /** Keys the HMAC that derives a refresh token's successor (so a retry can be answered again). */
  readonly refreshSuccessorKey: Buffer;
  /** Keys the HMAC of throttle keys, which leave the process (Redis, the database) only as digests. */
  readonly throttleKey: Buffer;
  /** Short public id of the key-encryption key, stored beside wrapped keys for rotation. */
  readonly kekId: string;

  constructor(masterSecret: Buffer) {
    if (masterSecret.length !== 32) throw new Error('master secret must be 32 bytes');
    this.keyEncryptionKey = derive(masterSecret, 'key-encryption');
    this.blindIndexKey = derive(masterSecret, 'blind-index');
    this.auditKey = derive(masterSecret, 'audit-chain');
    this.refreshSuccessorKey = derive(masterSecret, 'refresh-successor');
    this.throttleKey = derive(masterSecret, 'throttle-keys');
    this.kekId = createHash('sha256').update(this.keyEncryptionKey).digest('hex').slice(0, 16);
  }
}

function derive(secret: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `member-privacy-gateway/${purpose}/v1`, 32));
}
