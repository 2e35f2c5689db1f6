import { randomBytes } from 'node:crypto';
import { open, seal } from './aead';
import type { MasterKeys } from './master-keys';

export interface DataKey {
  /** The member's plaintext data key; lives only in memory for one request. */
  key: Buffer;
  /** What is stored: the data key sealed under the key-encryption key. */
  wrapped: string;
  kekId: string;
}

/** Creates and unwraps per-member data keys (envelope encryption). */
export class KeyWrapper {
  constructor(private readonly master: MasterKeys) {}

  create(memberId: string): DataKey {
    const key = randomBytes(32);
    return { key, wrapped: seal(this.master.keyEncryptionKey, key, aad(memberId)), kekId: this.master.kekId };
  }

  unwrap(memberId: string, wrapped: string): Buffer {
    return open(this.master.keyEncryptionKey, wrapped, aad(memberId));
  }
}

const aad = (memberId: string) => `member-key:${memberId}`;
