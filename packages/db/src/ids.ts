import { randomBytes } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Ids sort by creation
 * time, which keeps B-tree inserts local. Prisma generates the same with `@default(uuid(7))`;
 * this one is for ids the code needs before the row exists (a new tenant, an event).
 */
// Random bytes drawn 4 KiB at a time (one syscall-backed fill per 409 ids instead of one each),
// and the text written from a byte-to-hex table: bulk imports create ids by the hundred thousand.
const POOL_SIZE = 4090;
let pool = Buffer.alloc(0);
let offset = POOL_SIZE;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function newId(now: number = Date.now()): string {
  if (offset + 10 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const r = pool;
  const o = offset;
  offset += 10;
  const time = now.toString(16).padStart(12, '0'); // bytes 0-5: milliseconds
  return (
    `${time.slice(0, 8)}-${time.slice(8, 12)}-` +
    `7${HEX[r[o]! & 0x0f]![1]}${HEX[r[o + 1]!]}-` + // version 7, then 12 random bits
    `${HEX[0x80 | (r[o + 2]! & 0x3f)]}${HEX[r[o + 3]!]}-` + // variant 10, then 14 random bits
    `${HEX[r[o + 4]!]}${HEX[r[o + 5]!]}${HEX[r[o + 6]!]}${HEX[r[o + 7]!]}${HEX[r[o + 8]!]}${HEX[r[o + 9]!]}`
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
