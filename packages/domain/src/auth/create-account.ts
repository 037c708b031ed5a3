import { newId, withTenant, type Db, type Tx } from '@crm/db';
import { recordAudit } from '../audit/record-audit.ts';
import { emitEvent } from '../events/emit-event.ts';
import { seedTenantLists } from '../lists/tenant-lists.ts';

export interface NewAccount {
  email: string;
  name: string;
  passwordHash: string;
  organisationName: string;
}

/**
 * A user, their organisation and their owner membership, announced in the outbox, inside `tx`
 * (a transaction entered as `tenantId`). The e-mail must already be proven: by the link of a
 * sign-up (verify-email.ts) or by the seed that creates the demo account.
 */
export async function createAccountIn(tx: Tx, tenantId: string, account: NewAccount): Promise<string> {
  const user = await tx.user.create({ data: { email: account.email, name: account.name, passwordHash: account.passwordHash } });
  await tx.organisation.create({ data: { id: tenantId, name: account.organisationName, legalName: account.organisationName } });
  const member = await tx.membership.create({ data: { tenantId, userId: user.id, role: 'owner' } });
  await seedTenantLists(tx, tenantId);
  await emitEvent(tx, { type: 'organisation.created', tenantId, payload: { organisationId: tenantId, name: account.organisationName } });
  await emitEvent(tx, { type: 'member.joined', tenantId, payload: { memberId: member.id, userId: user.id, role: 'owner' } });
  await recordAudit(tx, { tenantId, actorUserId: user.id, action: 'organisation.created', entityType: 'organisation', entityId: tenantId });
  return user.id;
}

/**
 * Creates an account whose e-mail is taken as verified, without any link: for the demo seed,
 * scripts and benchmarks. No procedure reaches it; people sign up through `signUp`.
 */
export async function createVerifiedAccount(deps: { db: Db }, account: NewAccount): Promise<{ userId: string; tenantId: string }> {
  const tenantId = newId();
  const userId = await withTenant(deps.db, tenantId, (tx) => createAccountIn(tx, tenantId, account));
  return { userId, tenantId };
}
