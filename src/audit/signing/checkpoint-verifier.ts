import { compactVerify, importJWK, type CryptoKey, type JWK } from 'jose';
import { auditKeyAlgorithm } from './audit-key';
import { CHECKPOINT_TYPE, checkpointPayload, type CheckpointPayload } from './checkpoint-payload';

/** A checkpoint whose signature, key, type or payload does not check out. */
export class InvalidCheckpointError extends Error {
  override name = 'InvalidCheckpointError';
}

/**
 * Verifies checkpoint JWSs with public audit keys only (a JWKS such as /.well-known/audit-keys.json):
 * the key is chosen by `kid` and its algorithm pinned, the header must say `typ:
 * audit-checkpoint+jws`, and the payload must have the checkpoint's shape.
 */
export class CheckpointVerifier {
  private constructor(private readonly keys: Map<string, { key: CryptoKey; alg: string }>) {}

  static async fromJwks(jwks: { keys: JWK[] }): Promise<CheckpointVerifier> {
    const keys = new Map<string, { key: CryptoKey; alg: string }>();
    for (const jwk of jwks.keys) {
      if (!jwk.kid) continue;
      const alg = auditKeyAlgorithm(jwk);
      const { d: _private, ...publicPart } = jwk;
      keys.set(jwk.kid, { key: (await importJWK({ ...publicPart, key_ops: ['verify'] }, alg)) as CryptoKey, alg });
    }
    if (keys.size === 0) throw new Error('no audit verification key');
    return new CheckpointVerifier(keys);
  }

  async verify(jws: string): Promise<CheckpointPayload> {
    try {
      const { payload, protectedHeader } = await compactVerify(jws, (header) => {
        const entry = header.kid === undefined ? undefined : this.keys.get(header.kid);
        if (!entry || entry.alg !== header.alg) throw new InvalidCheckpointError('unknown audit key');
        return entry.key;
      });
      if (protectedHeader.typ !== CHECKPOINT_TYPE) throw new InvalidCheckpointError('not an audit checkpoint');
      return checkpointPayload(JSON.parse(new TextDecoder().decode(payload)));
    } catch (error) {
      throw error instanceof InvalidCheckpointError ? error : new InvalidCheckpointError('checkpoint signature or payload invalid');
    }
  }
}
