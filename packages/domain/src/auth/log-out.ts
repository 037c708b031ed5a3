import type { AccessClaims } from './tokens.ts';
import type { AuthDeps } from '../shared/context.ts';
import { revokeFamily } from './sessions.ts';

/** Ends the session the access token belongs to: its refresh tokens stop working at once. */
export async function logOut(deps: AuthDeps, claims: AccessClaims): Promise<{ ok: true }> {
  await revokeFamily(deps.db, claims.sessionId, 'logout', deps.clock());
  return { ok: true };
}
