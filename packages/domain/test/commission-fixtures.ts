import { withTenant, type Role } from '@crm/db';
import {
  bindHandlerDeps,
  createClient,
  createPlan,
  emitEvent,
  earnDueLines,
  handleEventOnce,
  handlerDepsFactory,
  handlerOf,
  issueStatementsIn,
  LocalDiskStorage,
  ZCreatePlanInput,
  type EventPayload,
  type EventType,
  type PlanRulesInput,
  type TenantDeps,
} from '../src/index.ts';
import { ownerTenant, uniqueEmail } from './harness.ts';

type Person = { userId: string; memberId: string; role: Role };

export const commissionStorage = LocalDiskStorage.temporary('crm-commissions-test');

/** Rules of the fixtures' default plan: a one-shot at signature, 10 % of collections, marginal tiers, a 10 % override. */
export const FIXTURE_RULES: PlanRulesInput = {
  oneShots: [{ trigger: 'signature', fixedCents: 10_000, valueRateBasisPoints: 500 }],
  recurringRateBasisPoints: 1_000,
  tiers: { mode: 'marginal', brackets: [{ fromCents: 0, rateBasisPoints: 0 }, { fromCents: 100_000, rateBasisPoints: 100 }] },
  monthlyCapCents: null,
  managerOverrideBasisPoints: 1_000,
  requireFirstDebit: true,
  withdrawalDays: 14,
  clawbackMonths: 6,
  clawbackMode: 'full',
};

/**
 * An organisation for the commission tests: a manager (rep LEAD) with a sales member in the team
 * (rep TEAM), a sales member outside it (rep OTHR), an accountant; a client per rep; a default plan.
 * `contract` writes a signed contract as the signature leaves it; `emit` writes an event to the
 * outbox and hands it to the commissions consumer at that instant, as the worker would.
 */
export async function commissionTenant(rules: PlanRulesInput = FIXTURE_RULES, planFrom = '2026-01-01') {
  const { auth, owner, member, actor, run } = await ownerTenant();
  const tenantId = owner.tenantId;
  const db = auth.db;
  const person = (role: Role) =>
    withTenant(db, tenantId, async (tx) => {
      const user = await tx.user.create({ data: { email: uniqueEmail(role), name: role, passwordHash: 'unused' } });
      const m = await tx.membership.create({ data: { tenantId, userId: user.id, role } });
      return { userId: user.id, memberId: m.id, role } satisfies Person;
    });
  const manager = await person('manager');
  const sales = await person('sales');
  const outsider = await person('sales');
  const accountant = await person('accountant');
  const viewer = await person('viewer');
  const reps = await withTenant(db, tenantId, async (tx) => {
    const rep = (code: string, userId: string, managerId?: string) =>
      tx.salesRep.create({ data: { tenantId, userId, code, firstName: code, lastName: 'Rep', ...(managerId ? { managerId } : {}) } });
    const lead = await rep('LEAD', manager.userId);
    return { lead, team: await rep('TEAM', sales.userId, lead.id), other: await rep('OTHR', outsider.userId) };
  });
  const as = <R>(who: Person, f: (deps: TenantDeps) => Promise<R>, now = new Date()) =>
    withTenant(db, tenantId, (tx) => f({ tx, now, actor: { userId: who.userId, tenantId, memberId: who.memberId, role: who.role } }), { userId: who.userId });
  const clients = new Map<string, string>();
  for (const rep of Object.values(reps)) {
    const c = await run((deps) => createClient(deps, { kind: 'company', companyName: `Client ${rep.code}`, salesRepId: rep.id, ignoreDuplicates: true }));
    clients.set(rep.id, c.client!.id);
  }
  const plan = await run((deps) => createPlan(deps, ZCreatePlanInput.parse({ name: 'Plan standard', isDefault: true, effectiveFrom: planFrom, rules })));
  let numbers = 0;
  const contract = (salesRepId: string, signedOn: string, options: { consumer?: boolean; monthlyCents?: number } = {}) =>
    withTenant(db, tenantId, async (tx) => {
      const row = await tx.contract.create({
        data: {
          tenantId,
          number: `CT-T-${String(++numbers).padStart(5, '0')}`,
          clientId: clients.get(salesRepId)!,
          salesRepId,
          status: 'signed',
          billingFrequency: 'monthly',
          startDate: new Date(`${signedOn}T00:00:00Z`),
          durationMonths: 12,
          paymentMethod: 'sepa_debit',
          consumer: options.consumer ?? true,
          signedAt: new Date(`${signedOn}T10:00:00Z`),
          signedOn: new Date(`${signedOn}T00:00:00Z`),
          lines: { create: [{ label: 'Abonnement', quantity: 1, unitPriceCents: options.monthlyCents ?? 5_000, vatRateBasisPoints: 2_000, position: 1 }] },
        },
      });
      return { id: row.id, clientId: row.clientId, salesRepId, signedOn };
    });
  const handler = handlerOf('commissions')!;
  const emit = async <T extends EventType>(type: T, payload: EventPayload<T>, at: string | Date) => {
    const occurredAt = typeof at === 'string' ? new Date(`${at}T12:00:00Z`) : at;
    const event = await withTenant(db, tenantId, (tx) => emitEvent(tx, { type, tenantId, payload, occurredAt }));
    const bound = bindHandlerDeps(handler, handlerDepsFactory({ storage: commissionStorage, clock: () => occurredAt, zoneCacheMs: 0 }));
    return { event, outcome: await handleEventOnce(db, bound, event), again: () => handleEventOnce(db, bound, event) };
  };
  const earn = (today: string) => withTenant(db, tenantId, (tx) => earnDueLines(tx, tenantId, today));
  const issue = (month: string, today: string) =>
    withTenant(db, tenantId, (tx) => issueStatementsIn({ tx, tenantId, now: new Date(`${today}T08:00:00Z`), today, issuedBy: 'test', actorUserId: null }, month));
  const lines = () => withTenant(db, tenantId, (tx) => tx.commissionLine.findMany({ where: { tenantId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }));
  const failure = (promise: Promise<unknown>) => promise.then(() => 'OK', (e: { code?: string; message?: string }) => e.code ?? e.message ?? 'THROWN');
  return { auth, db, tenantId, owner, member, actor, run, manager, sales, outsider, accountant, viewer, reps, as, plan, contract, emit, earn, issue, lines, failure };
}
