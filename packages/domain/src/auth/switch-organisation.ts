import { withUser } from '@crm/db';
import type { AuthDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import type { TSwitchOrganisationInput } from './auth.schema.ts';
import { issueAccess, requireLiveSession, type AccessGrant } from './sessions.ts';
import type { AccessClaims } from './tokens.ts';

/** Makes another of the user's organisations the active one, for this session. */
export async function switchOrganisation(
  deps: AuthDeps,
  claims: AccessClaims,
  input: TSwitchOrganisationInput,
): Promise<AccessGrant> {
  const now = deps.clock();
  await requireLiveSession(deps.db, claims.userId, claims.sessionId, now);
  const membership = await withUser(deps.db, claims.userId, (tx) =>
    tx.membership.findFirst({ where: { userId: claims.userId, tenantId: input.organisationId }, select: { id: true } }),
  );
  if (!membership) throw notFound('Organisation');
  await deps.db.refreshTokenFamily.update({ where: { id: claims.sessionId }, data: { activeTenantId: input.organisationId } });
  return issueAccess(deps, { userId: claims.userId, tenantId: input.organisationId, sessionId: claims.sessionId });
}
