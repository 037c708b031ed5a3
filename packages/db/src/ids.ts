import { randomBytes } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Ids sort by creation
 * time, which keeps B-tree inserts local. Prisma generates the same with `@default(uuid(7))`;
 * this one is for ids the code needs before the row exists (a new tenant, an event).
 *
 * Within one millisecond the 12 bits after the version are a counter (RFC 9562 §6.2, method 1):
 * ids this process makes in the same millisecond sort in the order they were made, so two
 * events written by one transaction in one millisecond (organisation.created, then
 * member.joined) keep their order in the outbox. The counter starts at a random value below
 * 2048 each millisecond, leaving 2048 ids before it would overflow into the next millisecond.
 */
// Random bytes drawn 4 KiB at a time (one syscall-backed fill per 409 ids instead of one each),
// and the text written from a byte-to-hex table: bulk imports create ids by the hundred thousand.
const POOL_SIZE = 4090;
let pool = Buffer.alloc(0);
let offset = POOL_SIZE;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

// The millisecond last asked for, the one written (ahead of it after 4096 ids in one
// millisecond), and the counter within it.
let lastAsked = -1;
let written = -1;
let counter = 0;

export function newId(at: number = Date.now()): string {
  if (offset + 10 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const r = pool;
  const o = offset;
  offset += 10;
  if (at === lastAsked || (at > lastAsked && at <= written)) {
    // The same millisecond, or a later one the counter already borrowed: count on.
    counter++;
    if (counter > 0xfff) {
      written++;
      counter = 0;
    }
  } else {
    // A new millisecond (or an explicit earlier instant): a fresh counter, random below 2048.
    written = at;
    counter = ((r[o]! & 0x07) << 8) | r[o + 1]!;
  }
  lastAsked = at;
  const now = written;
  const time = now.toString(16).padStart(12, '0'); // bytes 0-5: milliseconds
  return (
    `${time.slice(0, 8)}-${time.slice(8, 12)}-` +
    `7${(counter >> 8).toString(16)}${HEX[counter & 0xff]}-` + // version 7, then the 12-bit counter
    `${HEX[0x80 | (r[o + 2]! & 0x3f)]}${HEX[r[o + 3]!]}-` + // variant 10, then 14 random bits
    `${HEX[r[o + 4]!]}${HEX[r[o + 5]!]}${HEX[r[o + 6]!]}${HEX[r[o + 7]!]}${HEX[r[o + 8]!]}${HEX[r[o + 9]!]}`
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
