/** The `typ` of a checkpoint JWS: no member-token verifier accepts it (they require `at+jwt`). */
export const CHECKPOINT_TYPE = 'audit-checkpoint+jws';

/**
 * What a checkpoint signs. `size`: entries sequenced so far; `head`: the hash of entry `size`;
 * `base`: entries removed by retention (the first kept is `base + 1`), `baseHead`: the hash of
 * entry `base` (the genesis hash when nothing was removed); `iat`: when it was signed (epoch seconds).
 */
export interface CheckpointPayload {
  size: number;
  head: string;
  base: number;
  baseHead: string;
  iat: number;
}

const HASH = /^[0-9a-f]{64}$/;
const count = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The payload of a verified JWS, checked for shape; throws on anything else. */
export function checkpointPayload(value: unknown): CheckpointPayload {
  const { size, head, base, baseHead, iat } = (value ?? {}) as Record<string, unknown>;
  if (!count(size) || !count(base) || base > size || !count(iat) || typeof head !== 'string' || typeof baseHead !== 'string') {
    throw new Error('malformed checkpoint payload');
  }
  if (!HASH.test(head) || !HASH.test(baseHead)) throw new Error('malformed checkpoint payload');
  return { size, head, base, baseHead, iat };
}
