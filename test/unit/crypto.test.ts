import { randomBytes, randomUUID } from 'node:crypto';
import { BlindIndex, FieldCipher, KeyWrapper, MasterKeys } from '../../src/crypto';

const PHONE = '+8613800138000';

function setUp() {
  const master = new MasterKeys(randomBytes(32));
  const wrapper = new KeyWrapper(master);
  const memberId = randomUUID();
  const dataKey = wrapper.create(memberId);
  return { master, wrapper, memberId, dataKey, cipher: new FieldCipher(memberId, dataKey.key) };
}

/** Flips one bit in the middle of a base64url part of a sealed value. */
function tamper(sealed: string, part: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('MasterKeys', () => {
  it('refuses a master secret that is not 32 bytes', () => {
    expect(() => new MasterKeys(randomBytes(16))).toThrow();
  });

  it('derives distinct keys for key wrapping and blind indexes', () => {
    const master = new MasterKeys(randomBytes(32));
    expect(master.keyEncryptionKey.equals(master.blindIndexKey)).toBe(false);
  });

  it('derives the same keys and kek id from the same secret', () => {
    const secret = randomBytes(32);
    const a = new MasterKeys(secret);
    const b = new MasterKeys(Buffer.from(secret));
    expect(a.keyEncryptionKey.equals(b.keyEncryptionKey)).toBe(true);
    expect(a.kekId).toBe(b.kekId);
  });

  it('gives different master secrets different kek ids', () => {
    expect(new MasterKeys(randomBytes(32)).kekId).not.toBe(new MasterKeys(randomBytes(32)).kekId);
  });
});

describe('FieldCipher', () => {
  it('opens what it sealed', () => {
    const { cipher } = setUp();
    expect(cipher.open('phone', cipher.seal('phone', PHONE))).toBe(PHONE);
  });

  it('round-trips non-ASCII text', () => {
    const { cipher } = setUp();
    expect(cipher.open('name', cipher.seal('name', '张伟 Zoë'))).toBe('张伟 Zoë');
  });

  it('passes null through unsealed', () => {
    const { cipher } = setUp();
    expect(cipher.seal('phone', null)).toBeNull();
    expect(cipher.open('phone', null)).toBeNull();
  });

  it('produces a different ciphertext each time it seals the same plaintext', () => {
    const { cipher } = setUp();
    const first = cipher.seal('phone', PHONE);
    const second = cipher.seal('phone', PHONE);
    expect(first).not.toBe(second);
    expect(cipher.open('phone', first)).toBe(PHONE);
    expect(cipher.open('phone', second)).toBe(PHONE);
  });

  it('does not reveal the plaintext in the ciphertext', () => {
    const { cipher } = setUp();
    const sealed = cipher.seal('phone', PHONE);
    expect(sealed).not.toContain(PHONE);
    expect(sealed).not.toContain('13800138000');
    expect(sealed).not.toContain(Buffer.from(PHONE).toString('base64url'));
    expect(sealed).not.toContain(Buffer.from(PHONE).toString('base64'));
    expect(sealed).not.toContain(Buffer.from(PHONE).toString('hex'));
  });

  it('refuses to open a ciphertext sealed for another column', () => {
    const { cipher } = setUp();
    const sealed = cipher.seal('phone', PHONE);
    expect(() => cipher.open('email', sealed)).toThrow();
  });

  it("refuses to open a ciphertext copied into another member's row, even under the same data key", () => {
    const { cipher, dataKey } = setUp();
    const sealed = cipher.seal('phone', PHONE);
    const otherRow = new FieldCipher(randomUUID(), dataKey.key);
    expect(() => otherRow.open('phone', sealed)).toThrow();
  });

  it.each([
    ['nonce', 1],
    ['body', 2],
    ['tag', 3],
  ])('refuses a ciphertext whose %s was tampered with', (_part, index) => {
    const { cipher } = setUp();
    const sealed = cipher.seal('phone', PHONE);
    expect(() => cipher.open('phone', tamper(sealed, index))).toThrow();
  });

  it('refuses a ciphertext in an unknown format', () => {
    const { cipher } = setUp();
    const sealed = cipher.seal('phone', PHONE);
    expect(() => cipher.open('phone', sealed.replace(/^v1\./, 'v2.'))).toThrow();
    expect(() => cipher.open('phone', 'not a ciphertext')).toThrow();
  });
});

describe('KeyWrapper', () => {
  it('unwraps the data key it created', () => {
    const { wrapper, memberId, dataKey } = setUp();
    expect(wrapper.unwrap(memberId, dataKey.wrapped).equals(dataKey.key)).toBe(true);
  });

  it('creates a fresh 32-byte data key per member', () => {
    const { wrapper } = setUp();
    const a = wrapper.create(randomUUID());
    const b = wrapper.create(randomUUID());
    expect(a.key).toHaveLength(32);
    expect(a.key.equals(b.key)).toBe(false);
  });

  it('records the id of the key-encryption key beside the wrapped key', () => {
    const { master, dataKey } = setUp();
    expect(dataKey.kekId).toBe(master.kekId);
  });

  it('does not store the data key in the clear', () => {
    const { dataKey } = setUp();
    expect(dataKey.wrapped).not.toContain(dataKey.key.toString('base64url'));
    expect(dataKey.wrapped).not.toContain(dataKey.key.toString('hex'));
  });

  it('refuses to unwrap a data key under another master key', () => {
    const { memberId, dataKey } = setUp();
    const otherWrapper = new KeyWrapper(new MasterKeys(randomBytes(32)));
    expect(() => otherWrapper.unwrap(memberId, dataKey.wrapped)).toThrow();
  });

  it('refuses to unwrap a data key for another member', () => {
    const { wrapper, dataKey } = setUp();
    expect(() => wrapper.unwrap(randomUUID(), dataKey.wrapped)).toThrow();
  });

  it('refuses a tampered wrapped key', () => {
    const { wrapper, memberId, dataKey } = setUp();
    expect(() => wrapper.unwrap(memberId, tamper(dataKey.wrapped, 2))).toThrow();
  });

  it("makes a member's data unreadable once their wrapped key is destroyed (crypto-shredding)", () => {
    const { wrapper, memberId, cipher } = setUp();
    const sealed = cipher.seal('phone', PHONE);
    // Destroy the member's key: only other members' keys remain.
    const others = Array.from({ length: 5 }, () => {
      const id = randomUUID();
      return { id, wrapped: wrapper.create(id).wrapped };
    });
    for (const other of others) {
      const otherKey = wrapper.unwrap(other.id, other.wrapped);
      expect(() => new FieldCipher(memberId, otherKey).open('phone', sealed)).toThrow();
      expect(() => new FieldCipher(other.id, otherKey).open('phone', sealed)).toThrow();
    }
  });
});

describe('BlindIndex', () => {
  it('gives equal values an equal index', () => {
    const { master } = setUp();
    const a = new BlindIndex(master.blindIndexKey);
    const b = new BlindIndex(Buffer.from(master.blindIndexKey));
    expect(a.of('phone', PHONE)).toBe(a.of('phone', PHONE));
    expect(a.of('phone', PHONE)).toBe(b.of('phone', PHONE));
  });

  it('gives different values different indexes', () => {
    const index = new BlindIndex(setUp().master.blindIndexKey);
    expect(index.of('phone', PHONE)).not.toBe(index.of('phone', '+8613800138001'));
  });

  it('separates kinds: the same text as a phone and as a member name index differently', () => {
    const index = new BlindIndex(setUp().master.blindIndexKey);
    expect(index.of('phone', PHONE)).not.toBe(index.of('member-name', PHONE));
  });

  it('depends on the master key', () => {
    const a = new BlindIndex(new MasterKeys(randomBytes(32)).blindIndexKey);
    const b = new BlindIndex(new MasterKeys(randomBytes(32)).blindIndexKey);
    expect(a.of('phone', PHONE)).not.toBe(b.of('phone', PHONE));
  });

  it('does not contain the plaintext', () => {
    const index = new BlindIndex(setUp().master.blindIndexKey);
    const digest = index.of('member-name', 'alice');
    expect(digest).not.toContain('alice');
    expect(index.of('phone', PHONE)).not.toContain('13800138000');
    expect(digest).not.toContain(Buffer.from('alice').toString('base64url'));
  });
});
