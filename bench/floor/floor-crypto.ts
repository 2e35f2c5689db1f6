import { createDecipheriv, type DecipherGCM } from 'node:crypto';

/**
 * Opens the gateway's at-rest format (src/crypto/aead.ts: `v1.<nonce>.<ciphertext>.<tag>`,
 * base64url parts, AES-256-GCM with the owner and column as additional data) with node:crypto
 * directly. The floor's own copy, so that optimising the gateway's crypto never moves the floor.
 */
export function openText(key: Buffer, sealed: string, aad: string): string {
  const [decipher, body] = decipherFor(key, sealed, aad);
  return decipher.update(body, undefined, 'utf8') + decipher.final('utf8');
}

/** Like openText, for a binary plaintext (a wrapped data key). */
export function openBytes(key: Buffer, sealed: string, aad: string): Buffer {
  const [decipher, body] = decipherFor(key, sealed, aad);
  const plaintext = decipher.update(body);
  decipher.final();
  return plaintext;
}

function decipherFor(key: Buffer, sealed: string, aad: string): [DecipherGCM, Buffer] {
  const [version, nonce, body, tag] = sealed.split('.');
  if (version !== 'v1' || nonce === undefined || body === undefined || tag === undefined) throw new Error('unrecognised ciphertext format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return [decipher, Buffer.from(body, 'base64url')];
}

/** One member's columns for one request: the data key unwrapped once, each column bound to (member, column). */
export class MemberColumns {
  private readonly dataKey: Buffer;

  constructor(
    readonly memberId: string,
    keyEncryptionKey: Buffer,
    wrappedKey: string,
  ) {
    this.dataKey = openBytes(keyEncryptionKey, wrappedKey, `member-key:${memberId}`);
  }

  open(column: string, sealed: string): string;
  open(column: string, sealed: string | null): string | null;
  open(column: string, sealed: string | null): string | null {
    return sealed === null ? null : openText(this.dataKey, sealed, `${this.memberId}:${column}`);
  }
}
