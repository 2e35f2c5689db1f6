import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;

/**
 * scrypt (node:crypto) password hashes in a self-describing format:
 * `scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>`. Comparison is constant-time, and `verifyOrDummy`
 * spends the same work when there is no stored hash, so an unknown member costs what a wrong
 * password costs.
 */
export class PasswordHasher {
  private readonly dummyHash: Promise<string>;

  constructor(private readonly log2Cost: number) {
    this.dummyHash = this.hash(randomBytes(16).toString('hex'));
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const params = { N: 2 ** this.log2Cost, r: 8, p: 1 };
    const derived = await derive(password, salt, params);
    return `scrypt$ln=${this.log2Cost},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${derived.toString('base64url')}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const match = /^scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored);
    if (!match) return false;
    const [, ln, r, p, salt, expected] = match;
    const expectedBytes = Buffer.from(expected!, 'base64url');
    try {
      const derived = await derive(password, Buffer.from(salt!, 'base64url'), { N: 2 ** Number(ln), r: Number(r), p: Number(p) });
      return derived.length === expectedBytes.length && timingSafeEqual(derived, expectedBytes);
    } catch {
      return false; // a corrupt stored hash (impossible parameters) fails like a wrong password
    }
  }

  /** Verifies against `stored`, or against a throwaway hash when there is none (and then fails). */
  async verifyOrDummy(password: string, stored: string | undefined): Promise<boolean> {
    const ok = await this.verify(password, stored ?? (await this.dummyHash));
    return ok && stored !== undefined;
  }
}

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
