import { classifyDbError, newId, withTenant } from '@crm/db';
import { recordAudit } from '../audit/record-audit.ts';
import { emitEvent } from '../events/emit-event.ts';
import { seedTenantLists } from '../lists/tenant-lists.ts';
import type { AuthDeps, ClientInfo } from '../shared/context.ts';
import { conflict } from '../shared/errors.ts';
import type { TSignUpInput } from './auth.schema.ts';
import { hashPassword } from './passwords.ts';
import { startSession, type IssuedSession } from './sessions.ts';

/** Creates a user, their organisation, and makes them its owner; returns a session. */
export async function signUp(deps: AuthDeps, input: TSignUpInput, client: ClientInfo): Promise<IssuedSession> {
  const passwordHash = await hashPassword(input.password); // slow on purpose: before the transaction
  const tenantId = newId();
  const userId = await withTenant(deps.db, tenantId, async (tx) => {
    const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
    await tx.organisation.create({ data: { id: tenantId, name: input.organisationName, legalName: input.organisationName } });
    const member = await tx.membership.create({ data: { tenantId, userId: user.id, role: 'owner' } });
    await seedTenantLists(tx, tenantId);
    await emitEvent(tx, { type: 'organisation.created', tenantId, payload: { organisationId: tenantId, name: input.organisationName } });
    await emitEvent(tx, { type: 'member.joined', tenantId, payload: { memberId: member.id, userId: user.id, role: 'owner' } });
    await recordAudit(tx, { tenantId, actorUserId: user.id, action: 'organisation.created', entityType: 'organisation', entityId: tenantId });
    return user.id;
  }).catch((error: unknown) => {
    if (classifyDbError(error)?.kind === 'conflict') {
      throw conflict('Un compte existe déjà avec cet email', { email: ['Un compte existe déjà avec cet email'] });
    }
    throw error;
  });
  return startSession(deps, { userId, tenantId, client });
}
