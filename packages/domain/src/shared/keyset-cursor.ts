import { z } from 'zod';
import { badRequest } from './errors.ts';

// Keyset cursors: the sort key of the last row shown, opaque to the client. A cursor is
// base64url of a JSON array whose first element names the list and the format version
// ("clients-name/1"), then its typed parts. Decoding checks every part's type before any of it
// reaches a query, so a crafted cursor is a 400 with a field error on `cursor`, never a
// database error, and a cursor of one list (or of an older format) is refused by another.

const invalidCursor = () => badRequest('Curseur invalide', { cursor: ['Curseur invalide'] });

/** An instant as our lists print it (`toISOString`, or PostgreSQL's microseconds), between 1900 and 2199. */
const instant = z
  .string()
  .regex(/^(19|2[01])\d{2}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/)
  .refine((value) => !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().slice(0, 10) === value.slice(0, 10));

/** The parts a cursor may hold. */
export const cursorPart = {
  instant,
  uuid: z.uuid(),
  /**
   * A sort key of text (a folded name), bounded. Only what PostgreSQL cannot take (NUL) or would
   * alter (a lone surrogate) is refused: a name stored before the input rules may hold other controls.
   */
  text: z.string().max(1000).refine((value) => !value.includes('\u0000') && !/\p{Cs}/u.test(value)),
  /** A timeline entry id `<source>:<row id>`. */
  entryId: z.string().regex(/^[a-z_]{1,30}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
} as const;

type Parts = readonly [z.ZodType, ...z.ZodType[]];
type Values<P extends Parts> = { [K in keyof P]: z.output<P[K]> };

export interface CursorCodec<P extends Parts> {
  encode(values: Values<P>): string;
  /** The typed parts, or BAD_REQUEST with a field error on `cursor`. */
  decode(raw: string): Values<P>;
}

/** The codec of one list's cursor: `name` also carries the format version ("contracts/1"). */
export function defineCursor<const P extends Parts>(name: string, parts: P): CursorCodec<P> {
  const schema = z.tuple([z.literal(name), ...parts] as unknown as [z.ZodLiteral<string>, ...P]);
  return {
    encode: (values) => Buffer.from(JSON.stringify([name, ...values])).toString('base64url'),
    decode(raw) {
      if (!/^[A-Za-z0-9_-]{1,600}$/.test(raw)) throw invalidCursor();
      let value: unknown;
      try {
        value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
      } catch {
        throw invalidCursor();
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw invalidCursor();
      return parsed.data.slice(1) as unknown as Values<P>;
    },
  };
}

/** A cursor of (instant, row id), the shape of most lists ordered by a timestamp. */
export function defineInstantCursor(name: string) {
  const codec = defineCursor(name, [cursorPart.instant, cursorPart.uuid]);
  return {
    encode: (at: Date, id: string) => codec.encode([at.toISOString(), id]),
    decode(raw: string): [Date, string] {
      const [at, id] = codec.decode(raw);
      return [new Date(at), id];
    },
  };
}
