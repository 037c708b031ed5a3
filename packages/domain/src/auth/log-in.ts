import { withUser } from '@crm/db';
import type { AuthDeps, ClientInfo } from '../shared/context.ts';
import { unauthorized } from '../shared/errors.ts';
import type { TLogInInput } from './auth.schema.ts';
import { passwordCheckSucceeded, reservePasswordCheck } from './login-throttle.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { startSession, type IssuedSession } from './sessions.ts';

const BAD_CREDENTIALS = 'Email ou mot de passe incorrect';

/**
 * Checks the password and opens a session in the requested organisation, or the user's
 * first one. An unknown email (a sign-up not yet verified included: it has no account) and a
 * wrong password answer the same, in the same time. The check is reserved in the throttle
 * before the password is verified, so parallel attempts cannot exceed the limit.
 */
export async function logIn(deps: AuthDeps, input: TLogInInput, client: ClientInfo): Promise<IssuedSession> {
  const now = deps.clock();
  await reservePasswordCheck(deps.db, input.email, client.ip, now);
  const user = await deps.db.user.findUnique({ where: { email: input.email }, select: { id: true, passwordHash: true } });
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !ok) throw unauthorized(BAD_CREDENTIALS);
  await passwordCheckSucceeded(deps.db, input.email, client.ip);
  const memberships = await withUser(deps.db, user.id, (tx) =>
    tx.membership.findMany({ where: { userId: user.id }, orderBy: { createdAt: 'asc' }, select: { tenantId: true } }),
  );
  const requested = input.organisationId && memberships.find((m) => m.tenantId === input.organisationId);
  const tenantId = (requested || memberships[0])?.tenantId ?? null;
  await deps.db.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
  return startSession(deps, { userId: user.id, tenantId, client });
}
