/**
 * The one rule for every URL the API writes to its log, whatever route (or none) it matched.
 *
 * A URL can carry a credential: the calendar feed's path is its secret (`/calendar/<tenant>.<secret>.ics`),
 * an invitation link's path is its token (`/invitation/<tenant>.<secret>`, served by the web shell),
 * a query string holds procedure inputs and the notification stream's ticket. Clients do not
 * all write a URL the same way: Express matches routes whatever the letter case, a calendar
 * client may percent-encode any character, a proxy may double a slash or add one at the end.
 * So the URL is first brought to one form (percent-decoded until nothing changes, Unicode
 * compatibility forms folded, backslashes as slashes, empty and dot segments resolved), and
 * only then judged:
 * - the query string and fragment are never logged;
 * - after a segment naming a route whose path carries a secret (compared without case), every
 *   segment is `[redacted]`;
 * - anywhere else, a run of token characters that looks like a secret (24 or more, or 16 or more
 *   mixing letters and digits; UUIDs, which are ids, excepted) is `[redacted]`.
 * What is logged is that normalised form, so no spelling of a secret can slip past the checks.
 */

/** Routes whose path carries a secret: the calendar feed, invitation links, the e-mail verification page, Maileva's webhook. */
export const SECRET_PATH_ROUTES: readonly string[] = ['calendar', 'invitation', 'verifier-email', 'maileva'];

const REDACTED = '[redacted]';
const MAX_LOGGED = 512;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const TOKEN_RUN = /[A-Za-z0-9_~+=-]{16,}/g;

/** Every valid %XX sequence decoded (runs of them as UTF-8 bytes); malformed ones left as they are. */
function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}

function decodeFully(text: string): string {
  let current = text;
  for (let round = 0; round < 5; round++) {
    const next = percentDecode(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

function looksLikeSecret(run: string): boolean {
  return run.length >= 24 || (/[0-9]/.test(run) && /[A-Za-z]/.test(run));
}

const redactText = (text: string) => text.replace(TOKEN_RUN, (run) => (looksLikeSecret(run) ? REDACTED : run));

/** A segment with its secret-looking runs redacted; UUIDs kept. */
function redactRuns(segment: string): string {
  let out = '';
  let last = 0;
  for (const match of segment.matchAll(UUID)) {
    out += redactText(segment.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + redactText(segment.slice(last));
}

/** The URL as the request log writes it (see the rule above). */
export function loggedUrl(url: string): string {
  const decoded = decodeFully(url.split(/[?#]/, 1)[0]!)
    .normalize('NFKC')
    .split(/[?#]/, 1)[0]!
    .replace(/\\/g, '/');
  const segments: string[] = [];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const logged: string[] = [];
  for (const [index, segment] of segments.entries()) {
    const bare = segment.split(';', 1)[0]!.toLowerCase();
    if (SECRET_PATH_ROUTES.includes(bare)) {
      logged.push(bare);
      if (bare !== segment.toLowerCase() || index < segments.length - 1) logged.push(REDACTED);
      break;
    }
    logged.push(redactRuns(segment));
  }
  const path = `/${logged.join('/')}`;
  return path.length > MAX_LOGGED ? `${path.slice(0, MAX_LOGGED)}…` : path;
}
