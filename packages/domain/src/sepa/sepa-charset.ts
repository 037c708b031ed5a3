// The SEPA Latin character set (EPC "SEPA requirements for an extended character set", basic
// set): a-z A-Z 0-9 / - ? : ( ) . , ' + and space. Everything a bank file carries as free text
// goes through `toSepaText`; identifiers are validated against the same set instead, because
// silently changing an id would break the matching of the bank's returns.

const SEPA_TEXT = /^[A-Za-z0-9/\-?:().,'+ ]*$/;

/** Characters NFD does not decompose, and punctuation with a natural SEPA equivalent. */
const SPECIAL: Record<string, string> = {
  œ: 'oe', Œ: 'OE', æ: 'ae', Æ: 'AE', ß: 'ss', ẞ: 'SS', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L',
  þ: 'th', Þ: 'TH', ð: 'd', Ð: 'D', ı: 'i', ŀ: 'l', Ŀ: 'L', ĸ: 'k', ŉ: "'n",
  '’': "'", '‘': "'", '‚': "'", '′': "'", '`': "'", '´': "'", '"': "'", '“': "'", '”': "'", '„': "'",
  '«': "'", '»': "'", '‹': "'", '›': "'",
  '–': '-', '—': '-', '‐': '-', '‑': '-', '−': '-', _: '-', '…': '...', '&': '+', '€': 'EUR',
  '°': 'o', '№': 'No', '½': '1/2', '¼': '1/4', '¾': '3/4', '²': '2', '³': '3',
  '[': '(', ']': ')', '{': '(', '}': ')', ';': ',', '!': '.', '\\': '/', '|': '/',
};

// Unicode white space other than ASCII controls: no-break, thin, ideographic spaces and the like.
const WHITESPACE = new Set([0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);

/** Whether `value` holds only characters of the SEPA Latin set. */
export const isSepaText = (value: string): boolean => SEPA_TEXT.test(value);

function isAllowedCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    // Stryker disable next-line ConditionalExpression: a space that is not "allowed" becomes a space all the same (code <= 32 below).
    code === 32 ||
    code === 39 || code === 40 || code === 41 || code === 43 || // ' ( ) +
    // Stryker disable next-line ConditionalExpression: a '.' that is not "allowed" becomes '.' all the same (the replacement of the unknown).
    code === 46 ||
    code === 44 || code === 45 || code === 47 || code === 58 || code === 63 // , - / : ?
  );
}

/** What one character becomes in the SEPA set ('' for a combining accent). */
function replacementOf(char: string): string {
  const code = char.charCodeAt(0);
  if (isAllowedCode(code)) return char;
  const special = SPECIAL[char];
  if (special !== undefined) return special;
  // Stryker disable next-line EqualityOperator: 32 (space) is allowed above, so < 32 and <= 32 agree.
  if (code <= 32 || WHITESPACE.has(code)) return ' ';
  if (code >= 0x300 && code <= 0x36f) return ''; // combining accents
  const decomposed = char.normalize('NFD'); // é -> e + U+0301
  if (decomposed === char) return '.';
  let out = '';
  for (const part of decomposed) out += replacementOf(part);
  return out;
}

// Every code unit up to U+024F (Latin-1, Latin Extended-A and B), worked out once: the hot path
// of a 100k-debit file needs no Unicode normalisation per name.
const LATIN_TABLE: string[] = Array.from({ length: 0x250 }, (_, code) => replacementOf(String.fromCharCode(code)));

// 1 for the ASCII codes of the set: the fast path of toSepaText.
// Stryker disable next-line ObjectLiteral,ArrowFunction: without it every character takes the slow path, with the same result.
const ALLOWED = Uint8Array.from({ length: 128 }, (_, code) => (isAllowedCode(code) ? 1 : 0));

function replaceOne(code: number, char: string): string {
  // Stryker disable next-line ConditionalExpression: the table holds replacementOf's own answers; skipping it gives the same.
  if (code < 0x250) return LATIN_TABLE[code]!;
  // A character outside the BMP (emoji...): one '.' for its two halves. A lone high surrogate is a '.' anyway.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: replacementOf answers '.' for it too.
  if (code >= 0xd800 && code <= 0xdbff) return '.';
  if (code >= 0xdc00 && code <= 0xdfff) return '';
  return replacementOf(char);
}

/**
 * Transliterates to the SEPA Latin set: accents dropped (é -> e, ç -> c), ligatures spelled out
 * (œ -> oe, ß -> ss), typographic quotes and dashes to their ASCII forms, any other character
 * replaced by '.', white space collapsed and trimmed. With `maxLength`, cut to that many
 * characters (after transliteration, since œ or ß grow) and trimmed again.
 */
export function toSepaText(value: string, maxLength?: number): string {
  // One pass: runs of allowed characters are copied as slices, the others replaced.
  let text = '';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (ALLOWED[code] === 1) continue; // past 127, undefined
    text += value.slice(from, i);
    if (code === 0xbb) text = text.trimEnd(); // French guillemets take a space inside (« Le Boeuf »): the quote does not
    text += replaceOne(code, value[i]!);
    from = i + 1;
    if (code === 0xab) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: past the end, value[from] is undefined, which /\s/ does not match either.
      while (from < value.length && /\s/.test(value[from]!)) from++;
    }
    i = from - 1;
  }
  text += value.slice(from);
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral,MethodExpression: a shortcut; collapsing and trimming a text without such spaces changes nothing.
  if (text.includes('  ') || text.startsWith(' ') || text.endsWith(' ')) {
    text = text.replace(/ {2,}/g, ' ').trim();
  }
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: cutting a text to its own length or more, or to undefined, changes nothing.
  if (maxLength !== undefined && text.length > maxLength) {
    text = text.slice(0, maxLength).trimEnd();
  }
  return text;
}

/**
 * An identifier a SEPA file carries as is (MsgId, PmtInfId, EndToEndId, mandate reference):
 * 1 to `maxLength` characters of the Latin set without spaces, not starting or ending with '/'
 * and without '//' (EPC rules for references).
 */
export function sepaIdentifierProblem(value: string, maxLength = 35): string | null {
  if (value.length === 0) return 'obligatoire';
  if (value.length > maxLength) return `${maxLength} caractères au plus (${value.length})`;
  if (!SEPA_TEXT.test(value) || value.includes(' ')) {
    return "caractères autorisés : lettres sans accent, chiffres et / - ? : ( ) . , ' + (sans espace)";
  }
  if (value.startsWith('/') || value.endsWith('/') || value.includes('//')) return "ne doit ni commencer ni finir par « / », ni contenir « // »";
  return null;
}
