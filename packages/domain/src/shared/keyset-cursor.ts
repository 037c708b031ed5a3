import { badRequest } from './errors.ts';

/** An opaque keyset cursor: the sort key of the last row shown, as strings. */
export const encodeCursor = (parts: readonly string[]): string => Buffer.from(JSON.stringify(parts)).toString('base64url');

/** The cursor's parts, or a field error on `cursor` when it was not made by `encodeCursor`. */
export function decodeCursor(raw: string, length: number): string[] {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString()) as unknown;
    if (Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'string')) return value;
  } catch {
    /* fall through */
  }
  throw badRequest('Curseur invalide', { cursor: ['Curseur invalide'] });
}

/** A cursor whose first part is an instant: refused unless it is one. */
export function decodeInstantCursor(raw: string): [Date, string] {
  const [at, id] = decodeCursor(raw, 2) as [string, string];
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) throw badRequest('Curseur invalide', { cursor: ['Curseur invalide'] });
  return [date, id];
}
