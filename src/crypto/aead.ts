import { createCipheriv, createDecipheriv, type DecipherGCM, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * AES-256-GCM with a random 96-bit nonce. `aad` binds a ciphertext to where it belongs (owner and
 * column), so a ciphertext copied into another row or column fails to open.
 * Format: `v1.<nonce>.<ciphertext>.<tag>`, base64url parts.
 */
export function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, nonce.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** Opens what `seal` produced; throws if the key, the aad or a single bit differs. */
export function open(key: Buffer, sealed: string, aad: string | Buffer): Buffer {
  const [decipher, body] = decipherFor(key, sealed, aad);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}

/** `open` for a UTF-8 plaintext, decoded as it is deciphered (no intermediate buffers). */
export function openText(key: Buffer, sealed: string, aad: string | Buffer): string {
  const [decipher, body] = decipherFor(key, sealed, aad);
  return decipher.update(body, undefined, 'utf8') + decipher.final('utf8');
}

function decipherFor(key: Buffer, sealed: string, aad: string | Buffer): [DecipherGCM, Buffer] {
  const [version, nonce, body, tag] = sealed.split('.');
  if (version !== VERSION || nonce === undefined || body === undefined || tag === undefined) {
    throw new Error('unrecognised ciphertext format');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'), { authTagLength: 16 });
  decipher.setAAD(typeof aad === 'string' ? Buffer.from(aad, 'utf8') : aad);
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return [decipher, Buffer.from(body, 'base64url')];
}
