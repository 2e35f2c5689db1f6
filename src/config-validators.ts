import { makeValidator } from 'envalid';

// The value checks of src/config.ts (envalid validators). Messages start with "must" and never
// repeat the value: some settings are secrets.

export const positiveInt = makeValidator<number>((input) => {
  if (!/^\d+$/.test(input) || Number(input) < 1) throw new Error('must be a positive whole number');
  return Number(input);
});

export const nonNegativeInt = makeValidator<number>((input) => {
  if (!/^\d+$/.test(input)) throw new Error('must be a whole number (0 or more)');
  return Number(input);
});

/** A whole number from `min` to `max`. */
export const intBetween = (min: number, max: number) =>
  makeValidator<number>((input) => {
    if (!/^\d+$/.test(input) || Number(input) < min || Number(input) > max) throw new Error(`must be a whole number from ${min} to ${max}`);
    return Number(input);
  });

export const unitInterval = makeValidator<number>((input) => {
  const value = Number(input);
  if (input.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 1) throw new Error('must be a number in (0, 1]');
  return value;
});

/** 0 asks the OS for a free port (tests). */
export const portNumber = makeValidator<number>((input) => {
  if (!/^\d+$/.test(input) || Number(input) > 65535) throw new Error('must be a port number (0-65535)');
  return Number(input);
});

export const databaseUrl = makeValidator<string>((input) => {
  if (/^sqlite:.+/.test(input) || /^(mysql|mariadb):\/\/[^/]+\/\w+/.test(input)) return input;
  throw new Error('must be sqlite:<path> or mysql://user[:password]@host[:port]/database (or mariadb://)');
});

/** redis://[[user]:password@]host[:port][/db] or rediss:// (TLS). */
export const redisUrl = makeValidator<string>((input) => {
  let url: URL | undefined;
  try {
    url = new URL(input);
  } catch {
    /* reported below */
  }
  if (!url || !['redis:', 'rediss:'].includes(url.protocol) || !url.hostname || !/^(\/\d*)?$/.test(url.pathname))
    throw new Error('must be redis://[user:password@]host[:port][/db] (or rediss://)');
  return input;
});

export const base64Key = makeValidator<string>((input) => {
  if (Buffer.from(input, 'base64').length !== 32) throw new Error('must be base64 of exactly 32 bytes');
  return input;
});

export const privateJwk = makeValidator<string>((input) => {
  let jwk: Record<string, unknown>;
  try {
    jwk = JSON.parse(input) as Record<string, unknown>;
  } catch {
    throw new Error('must be a private JWK in JSON');
  }
  const supported = (jwk.kty === 'EC' && jwk.crv === 'P-256') || (jwk.kty === 'OKP' && jwk.crv === 'Ed25519');
  if (!supported || typeof jwk.d !== 'string') throw new Error('must be a private EC P-256 or Ed25519 JWK');
  if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new Error('must carry a "kid"');
  return input;
});

/**
 * Whether the private JWK `key` shares its kid or its public key with any key in `others` (private
 * JWKs or JWKS documents, as validated above; unset entries are skipped).
 */
export function sharesKey(key: string, others: Array<string | undefined>): boolean {
  const ids = (jwk: Record<string, unknown>) => [`kid:${String(jwk.kid)}`, `key:${String(jwk.x)}:${String(jwk.y ?? '')}`];
  const own = new Set(ids(JSON.parse(key) as Record<string, unknown>));
  const theirs = others.flatMap((other) => {
    if (!other) return [];
    const doc = JSON.parse(other) as { keys?: Array<Record<string, unknown>> } & Record<string, unknown>;
    return (Array.isArray(doc.keys) ? doc.keys : [doc]).flatMap(ids);
  });
  return theirs.some((id) => own.has(id));
}

export const jwks = makeValidator<string>((input) => {
  try {
    const doc = JSON.parse(input) as { keys?: unknown };
    if (Array.isArray(doc.keys)) return input;
  } catch {
    /* reported below */
  }
  throw new Error('must be a JWKS document: {"keys": [...]}');
});

/**
 * Browser origins, normalised the way browsers send them (`http://host:port/` → `http://host:port`,
 * default ports dropped, host lower-cased), so a trailing slash cannot silently match nothing.
 */
export const corsOrigins = makeValidator<string>((input) => {
  const origins = input
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return origins
    .map((entry) => {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new Error('must be a comma-separated list of origins such as https://shop.example.com');
      }
      if (!['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
        throw new Error('must be a comma-separated list of origins (scheme, host and port only) such as https://shop.example.com');
      }
      return url.origin;
    })
    .join(',');
});

/** Three positive whole numbers: the anonymous, member and staff budgets, e.g. `8,12,16`. */
export const perViewer = makeValidator<[number, number, number]>((input) => {
  const parts = input.split(',').map((part) => part.trim());
  if (parts.length !== 3 || !parts.every((part) => /^\d+$/.test(part) && Number(part) >= 1)) {
    throw new Error('must be three positive whole numbers: anonymous,member,staff');
  }
  return parts.map(Number) as [number, number, number];
});

export const trustProxy = makeValidator<string | false>((input) => (input === '' || input === 'false' ? false : input));

/** A shared secret sent as `Authorization: Bearer <token>`: long enough not to be guessed, no spaces. */
export const bearerToken = makeValidator<string>((input) => {
  if (!/^[\x21-\x7e]{16,256}$/.test(input)) throw new Error('must be 16 to 256 printable characters without spaces');
  return input;
});

/** An http:// or https:// URL (`collector:4318` would parse as a URL of scheme `collector:`). */
export const httpUrl = makeValidator<string>((input) => {
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    throw new Error('must be an http:// or https:// URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('must be an http:// or https:// URL');
  return input;
});
