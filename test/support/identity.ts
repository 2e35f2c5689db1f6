import { importJWK, SignJWT, type JWK } from 'jose';
import type { TestGateway } from './test-gateway';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A PRC resident ID number with a correct GB 11643 check character (computed here independently). */
export function residentId(birth: string, region = '440305', sequence = '123'): string {
  const body = `${region}${birth.replace(/-/g, '')}${sequence}`;
  const sum = WEIGHTS.reduce((total, weight, index) => total + weight * Number(body[index]), 0);
  return `${body}${'10X98765432'[sum % 11]}`;
}

/** The same member and session signed in `secondsAgo` ago (a real token, signed with the gateway's key). */
export async function signedInAgo(t: TestGateway, accessToken: string, secondsAgo: number, amr?: string[]): Promise<string> {
  const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8'));
  const { signingKey } = t.keys();
  return new SignJWT({ ...claims, auth_time: claims.auth_time - secondsAgo, ...(amr ? { amr } : {}) })
    .setProtectedHeader({ alg: 'ES256', kid: signingKey.kid, typ: 'at+jwt' })
    .sign(await importJWK(signingKey as JWK, 'ES256'));
}

export const SUBMIT = `mutation Submit($input: RealNameInput!) {
  submitRealName(input: $input) { identity { legalName documentType documentNumber status verifiedAt version } verification { id status } }
}`;
export const REVIEW = `mutation Review($id: ID!, $approve: Boolean!, $reason: String) { reviewVerification(id: $id, approve: $approve, reason: $reason) { id status reason } }`;
export const REAL_NAME = `{ me { realName { legalName documentType documentNumber status verifiedAt rejectionReason version } } }`;
export const ENROL = `mutation Enrol($kind: BiometricKind!, $template: [Float!]!) { enrollBiometric(kind: $kind, template: $template) { kind enrolledAt } }`;
export const WITHDRAW = `mutation Withdraw($purpose: ConsentPurpose!) { withdrawConsent(purpose: $purpose) { purpose granted } }`;

/** A deterministic pseudo-random unit-free vector. */
export function vector(seed: number, dimensions = 128): number[] {
  let state = seed;
  return Array.from({ length: dimensions }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  });
}

/** A vector whose cosine similarity to `base` is exactly `cosine` (up to float rounding). */
export function vectorAtCosine(base: number[], cosine: number, seed = 99): number[] {
  const unit = (values: number[]) => {
    const norm = Math.hypot(...values);
    return values.map((value) => value / norm);
  };
  const u = unit(base);
  const other = vector(seed, base.length);
  const dot = other.reduce((sum, value, index) => sum + value * u[index]!, 0);
  const v = unit(other.map((value, index) => value - dot * u[index]!));
  const sine = Math.sqrt(1 - cosine * cosine);
  return u.map((value, index) => cosine * value + sine * v[index]!);
}
