/**
 * The access token lives in memory only (never in localStorage, where any injected script
 * could read it). The refresh token is in an httpOnly cookie the page cannot see; a reload
 * gets a new access token from it.
 */
type Listener = (token: string | null) => void;

let token: string | null = null;
// Counts the sessions opened or ended on this page (a login, a switch, a log out). A refresh on
// its way when that happened answers for the session before: its grant must not re-open a
// session the person left, nor its failure close the one they just opened.
let generation = 0;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<Listener>();

export const sessionToken = {
  get: (): string | null => token,
  generation: (): number => generation,
  /** A new session (a grant from login, sign-up, a switch...), or none (log out). */
  replace(next: string | null, expiresAt?: string, renew?: () => void): void {
    generation += 1;
    sessionToken.set(next, expiresAt, renew);
  },
  set(next: string | null, expiresAt?: string, renew?: () => void): void {
    token = next;
    clearTimeout(refreshTimer);
    // Renew a minute before expiry, so requests rarely meet an expired token.
    if (next && expiresAt && renew) {
      const delay = Math.max(5_000, new Date(expiresAt).getTime() - Date.now() - 60_000);
      refreshTimer = setTimeout(renew, delay);
    }
    for (const listener of listeners) listener(token);
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
