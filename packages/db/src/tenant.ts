import type { Db } from './client.ts';
import type { Prisma, Role } from './generated/prisma/client.ts';
import { isUuid } from './ids.ts';
import { errorSummary } from './log-safety.ts';

/** A unit of work's handle: every query in it runs in one transaction under one scope. */
export type Tx = Prisma.TransactionClient;

/**
 * What must happen outside the database once a transaction is over, by outcome: removing the
 * bytes of a document whose row the transaction deleted (after its commit), or of a document
 * stored for a row that will never exist (after its rollback, the commit's failure included).
 */
interface Outcomes {
  committed: (() => Promise<unknown>)[];
  rolledBack: (() => Promise<unknown>)[];
}
const outcomes = new WeakMap<Tx, Outcomes>();

function outcomesOf(tx: Tx, caller: string): Outcomes {
  const registered = outcomes.get(tx);
  if (!registered) throw new Error(`${caller}: not a transaction of withTenant, withMember, withUser or withSystem`);
  return registered;
}

/** Runs `effect` once `tx` has committed; never if it rolls back. */
export function afterCommit(tx: Tx, effect: () => Promise<unknown>): void {
  outcomesOf(tx, 'afterCommit').committed.push(effect);
}

/** Runs `effect` if `tx` rolls back, including when its commit fails; never once it has committed. */
export function afterRollback(tx: Tx, effect: () => Promise<unknown>): void {
  outcomesOf(tx, 'afterRollback').rolledBack.push(effect);
}

/**
 * The effects run in order once the outcome is known. They concern files and the like, not
 * the data: one that fails is reported as a process warning and does not change the outcome
 * (the data is committed, or the caller gets the transaction's own error).
 */
async function runEffects(effects: (() => Promise<unknown>)[] | undefined): Promise<void> {
  for (const effect of effects ?? []) {
    try {
      await effect();
    } catch (error) {
      // Its class and code, not its message (log-safety.ts: messages carry values).
      process.emitWarning(`an effect after a transaction failed: ${errorSummary(error)}`, 'TransactionEffectWarning');
    }
  }
}

/** One transaction with its outcome's effects (afterCommit, afterRollback). */
async function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, options?: { timeout: number }): Promise<T> {
  let registered: Outcomes | undefined;
  let result: T;
  try {
    result = await db.$transaction(async (tx) => {
      registered = { committed: [], rolledBack: [] };
      outcomes.set(tx, registered);
      return fn(tx);
    }, options);
  } catch (error) {
    await runEffects(registered?.rolledBack);
    throw error;
  }
  await runEffects(registered?.committed);
  return result;
}

/**
 * Runs `fn` in one transaction whose first statement sets the tenant for row-level security.
 * The settings are transaction-local (`set_config(..., true)`), so they cannot leak to the next
 * user of the pooled connection. `userId`, when given, also lets the transaction see that
 * user's own memberships in other organisations (the organisation switcher needs them).
 * `timeoutMs` lifts the default 15 s limit for the rare long unit of work (a client import).
 */
export async function withTenant<T>(
  db: Db,
  tenantId: string,
  fn: (tx: Tx) => Promise<T>,
  options: { userId?: string; timeoutMs?: number } = {},
): Promise<T> {
  // Fail closed: a missing or malformed tenant must never reach set_config as "no filter".
  if (!isUuid(tenantId)) throw new Error('withTenant: tenantId must be a UUID');
  if (options.userId !== undefined && !isUuid(options.userId)) throw new Error('withTenant: userId must be a UUID');
  const userId = options.userId;
  return transaction(db, async (tx) => {
    // With a user, the same entry as withMember: it also fixes which clients the user may see.
    if (userId) await tx.$queryRaw`SELECT member_id FROM crm_enter_tenant(${tenantId}::uuid, ${userId}::uuid)`;
    else await tx.$executeRaw`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', '', true)`;
    return fn(tx);
  }, options.timeoutMs === undefined ? undefined : { timeout: options.timeoutMs });
}

/** The acting user's membership in the tenant, or null when they are not (or no longer) a member. */
export interface TenantMember {
  id: string;
  role: Role;
}

/**
 * withTenant for a user acting in the tenant (every API request): one statement sets the tenant
 * and the user and reads the user's membership (`crm_enter_tenant`), saving a round trip on
 * the hottest path. `fn` decides what a missing membership means. `timeoutMs` as for withTenant
 * (a large import's dry run).
 */
export async function withMember<T>(
  db: Db,
  tenantId: string,
  userId: string,
  fn: (tx: Tx, member: TenantMember | null) => Promise<T>,
  options: { timeoutMs?: number | undefined } = {},
): Promise<T> {
  if (!isUuid(tenantId)) throw new Error('withMember: tenantId must be a UUID');
  if (!isUuid(userId)) throw new Error('withMember: userId must be a UUID');
  return transaction(db, async (tx) => {
    const [row] = await tx.$queryRaw<{ member_id: string; member_role: Role }[]>`
      SELECT member_id, member_role FROM crm_enter_tenant(${tenantId}::uuid, ${userId}::uuid)`;
    return fn(tx, row ? { id: row.member_id, role: row.member_role } : null);
  }, options.timeoutMs === undefined ? undefined : { timeout: options.timeoutMs });
}

/**
 * Runs `fn` in one transaction scoped to a user and no tenant: it sees the user's own
 * memberships and their organisations, and no tenant's data.
 */
export async function withUser<T>(db: Db, userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!isUuid(userId)) throw new Error('withUser: userId must be a UUID');
  return transaction(db, async (tx) => {
    await tx.$executeRaw`select set_config('app.user_id', ${userId}, true)`;
    return fn(tx);
  });
}

/**
 * The loud escape hatch: a transaction that sees every tenant's rows. For cross-tenant
 * jobs only (the outbox relay, retention, reports of the platform itself), never with a
 * tenant or an id that came from a request.
 */
export async function withSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return transaction(db, async (tx) => {
    await tx.$executeRaw`select set_config('app.system', 'on', true)`;
    return fn(tx);
  });
}
