import { CompactSign, importJWK, type CryptoKey, type JWK } from 'jose';
import { auditKeyAlgorithm, publicAuditKey } from './audit-key';
import { CHECKPOINT_TYPE, type CheckpointPayload } from './checkpoint-payload';

/**
 * Signs audit checkpoints with the dedicated audit signing key (AUDIT_SIGNING_KEY; never the
 * member-token key) and publishes its public half with earlier audit keys still needed to verify
 * old checkpoints. The key is imported once; the private half never leaves this object.
 */
export class CheckpointSigner {
  private constructor(
    private readonly key: CryptoKey,
    private readonly alg: string,
    readonly kid: string,
    private readonly published: { keys: JWK[] },
  ) {}

  static async create(signingKey: JWK, previous: JWK[] = []): Promise<CheckpointSigner> {
    const alg = auditKeyAlgorithm(signingKey);
    if (!signingKey.kid) throw new Error('the audit signing key has no kid');
    const key = (await importJWK(signingKey, alg)) as CryptoKey;
    const keys = [publicAuditKey(signingKey), ...previous.filter((jwk) => jwk.kid !== signingKey.kid).map(publicAuditKey)];
    return new CheckpointSigner(key, alg, signingKey.kid, { keys });
  }

  /** The JWKS of /.well-known/audit-keys.json: the current audit key first, then earlier ones. */
  jwks(): { keys: JWK[] } {
    return this.published;
  }

  /** A compact JWS over the payload's JSON, with `kid` and `typ: audit-checkpoint+jws` in its header. */
  sign(payload: CheckpointPayload): Promise<string> {
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: this.alg, kid: this.kid, typ: CHECKPOINT_TYPE })
      .sign(this.key);
  }
}
