import { classifyDbError, newId, withTenant } from '@crm/db';
import type { AuthDeps, ClientInfo } from '../shared/context.ts';
import { conflict, DomainError } from '../shared/errors.ts';
import type { TVerifyEmailInput } from './auth.schema.ts';
import { createAccountIn } from './create-account.ts';
import { startSession, type IssuedSession } from './sessions.ts';
import { hashSecret } from './tokens.ts';

const GONE = 'Ce lien est invalide, expiré ou a déjà servi. Connectez-vous, ou inscrivez-vous à nouveau.';
const TAKEN = 'Un compte existe déjà pour cette adresse : connectez-vous.';

/**
 * Follows the link of a sign-up: the address is proven, so the account asked for is created
 * (user, organisation, owner membership) and a session opens in it. The link works once, before
 * it expires; two concurrent uses create one account. Once an account exists for the address,
 * its other pending sign-ups stop working.
 */
export async function verifyEmail(deps: AuthDeps, input: TVerifyEmailInput, client: ClientInfo): Promise<IssuedSession> {
  const now = deps.clock();
  const tenantId = newId();
  const outcome = await withTenant(deps.db, tenantId, async (tx) => {
    const request = await tx.signUpRequest.findUnique({ where: { tokenHash: hashSecret(input.token) } });
    if (!request || request.usedAt || request.expiresAt <= now) return 'gone' as const;
    const claimed = await tx.signUpRequest.updateMany({ where: { id: request.id, usedAt: null }, data: { usedAt: now } });
    if (claimed.count !== 1) return 'gone' as const;
    if (await tx.user.findUnique({ where: { email: request.email }, select: { id: true } })) return 'taken' as const;
    await tx.signUpRequest.updateMany({ where: { email: request.email, usedAt: null }, data: { usedAt: now } });
    const userId = await createAccountIn(tx, tenantId, request);
    return { userId };
  }).catch((error: unknown) => {
    // Another link of the same address created its account at the same moment.
    if (classifyDbError(error)?.kind === 'conflict') return 'taken' as const;
    throw error;
  });
  if (outcome === 'gone') throw new DomainError('NOT_FOUND', GONE);
  if (outcome === 'taken') throw conflict(TAKEN);
  return startSession(deps, { userId: outcome.userId, tenantId, client });
}
