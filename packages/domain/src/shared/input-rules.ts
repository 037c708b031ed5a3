import { z } from 'zod';
import { badRequest } from './errors.ts';

// The rules every value from outside meets before a use case sees it, written once. Every
// string of every procedure's input is built from `safeText` / `safeMultilineText` (a test walks
// the router to prove it), every business date from `ZDay`, every instant from `ZInstant`, every
// keyset cursor from `ZCursor`. Pure (no Node API): the web bundle may import it.

/** C0 controls (NUL included), DEL and C1 controls (Unicode's Cc): nothing a person types on one line. */
const CONTROL = /\p{Cc}/u;
/** The same, but tab, line feed and carriage return are allowed (notes, descriptions). */
const CONTROL_MULTILINE = /(?![\t\n\r])\p{Cc}/u;
/** Half of a UTF-16 pair without its other half: not a character, and PostgreSQL would store U+FFFD instead. */
const LONE_SURROGATE = /\p{Cs}/u;

export const CONTROL_CHARACTER_MESSAGE = 'Caractère invalide (caractère de contrôle ou Unicode incomplet)';

/** Whether `value` holds a control character (tab and line breaks allowed when `multiline`) or a lone surrogate. */
export function hasForbiddenCharacters(value: string, multiline = false): boolean {
  return (multiline ? CONTROL_MULTILINE : CONTROL).test(value) || LONE_SURROGATE.test(value);
}

/** Any string of an input: no control character, no lone surrogate. Chain `.trim().max(...)` as with `z.string()`. */
export const safeText = (message = CONTROL_CHARACTER_MESSAGE) =>
  z.string().refine((value) => !hasForbiddenCharacters(value), { message, abort: true });

/** A multi-line free text (notes, descriptions): tab and line breaks allowed, other controls and NUL refused. */
export const safeMultilineText = (message = CONTROL_CHARACTER_MESSAGE) =>
  z.string().refine((value) => !hasForbiddenCharacters(value, true), { message, abort: true });

/** One line of text, trimmed, at most `max` characters. */
export const text = (max: number) => safeText().trim().max(max, `${max} caractères au plus`);

/** A multi-line text, trimmed, at most `max` characters. */
export const multilineText = (max: number) => safeMultilineText().trim().max(max, `${max} caractères au plus`);

/**
 * `when` of a refinement across fields that must run even when some field failed (so all errors
 * show at once), but only on an object: on `null` or a string it would read a field of nothing.
 */
export const whenAnObject = (payload: { value: unknown }): boolean =>
  typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value);

/** The calendar range a business date may fall in: anything else is a typing error or an attack. */
export const MIN_DAY = '1900-01-01';
export const MAX_DAY = '2199-12-31';
const inDayRange = (day: string) => day >= MIN_DAY && day <= MAX_DAY;
const DAY_RANGE_MESSAGE = 'Date hors limites (entre 1900 et 2199)';

/** Whether `value` is a real calendar day YYYY-MM-DD (not 2026-02-30) in the sane range. */
export function isSaneDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !inDayRange(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A business date "YYYY-MM-DD": a real day (2026-02-30 refused) between 1900 and 2199. */
export const ZDay = (message = 'Date invalide (AAAA-MM-JJ)') =>
  z.iso.date(message).refine(inDayRange, DAY_RANGE_MESSAGE);

/** An instant with its offset ("2026-12-03T14:30:00+01:00"), a real one, between 1900 and 2199. */
export const ZInstant = (message = 'Date et heure invalides') =>
  z.iso.datetime({ offset: true, message }).refine((value) => {
    const at = new Date(value);
    return !Number.isNaN(at.getTime()) && inDayRange(at.toISOString().slice(0, 10));
  }, DAY_RANGE_MESSAGE);

/**
 * A keyset cursor as it travels: base64url only, bounded. What it holds is checked by the use
 * case that made it (`defineCursor` in keyset-cursor.ts), with the same field error.
 */
export const ZCursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,600}$/, 'Curseur invalide');

/**
 * A file's name as a browser or a script sent it (upload header, query parameter): shown and
 * offered back at download, never used to build a path. Path separators become spaces; control
 * characters and lone surrogates are refused.
 */
export const ZFileName = z
  .string('Nom de fichier requis')
  .refine((name) => !hasForbiddenCharacters(name), { message: 'Nom de fichier invalide (caractère de contrôle)', abort: true })
  .transform((name) => name.replace(/[\\/]/g, ' ').replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1, 'Nom de fichier requis').max(200, '200 caractères au plus'));

/** A file name from a raw upload route (`fallback` when none was sent), or BAD_REQUEST with a field error on `fileName`. */
export function fileNameOf(raw: string | undefined, fallback: string): string {
  const parsed = ZFileName.safeParse(raw === undefined || raw.trim() === '' ? fallback : raw);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) => issue.message);
  throw badRequest(messages[0] ?? 'Nom de fichier invalide', { fileName: messages });
}
