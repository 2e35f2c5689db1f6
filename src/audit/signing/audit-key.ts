import type { JWK } from 'jose';

/** The JWS algorithm of an audit key: ES256 for EC P-256, EdDSA for Ed25519; anything else is refused. */
export function auditKeyAlgorithm(jwk: JWK): 'ES256' | 'EdDSA' {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  throw new Error(`unsupported audit key type for kid ${String(jwk.kid)}`);
}

/** The public half, as published at /.well-known/audit-keys.json: for verifying checkpoints only. */
export function publicAuditKey(jwk: JWK): JWK {
  const { kty, crv, x, y, kid } = jwk;
  return { kty, crv, x, ...(y ? { y } : {}), kid, alg: auditKeyAlgorithm(jwk), use: 'sig', key_ops: ['verify'] };
}
