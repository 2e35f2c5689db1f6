import { randomFillSync } from 'node:crypto';

let lastMs = -1;
let counter = 0;

// Random bytes drawn 4 KB at a time (as the uuid package and Node's randomUUID do): one call into
// the CSPRNG per 256 ids, not two per id, since an audited page writes dozens of ids per request.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
const scratch = Buffer.alloc(16);

function random(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += size;
  return pool.subarray(poolOffset - size, poolOffset);
}

/**
 * A UUIDv7 (RFC 9562) in lower-case text: 48 bits of Unix milliseconds, then a 12-bit counter
 * (random start each millisecond, so ids this process makes in one millisecond ascend, the
 * first two thousand at least), then 62
 * random bits. Ids sort by time as text on every engine and need no shared counter, so any number
 * of instances can make them without coordination (no auto-increment: suits distributed MySQL
 * engines too). `at` defaults to now; a migration may give an older time.
 */
export function newTimeOrderedId(at: number = Date.now()): string {
  const ms = Math.max(0, Math.floor(at));
  if (ms === lastMs && counter < 0xfff) counter += 1;
  else {
    lastMs = ms;
    counter = random(2).readUInt16BE(0) & 0x7ff; // the lower half, so the millisecond has room to count
  }
  const bytes = scratch; // reused: the id leaves as text before anything else can run
  bytes.set(random(16));
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
