import { newId, type Tx } from '@crm/db';
import { loadDunningPlans } from './dunning-plans.ts';
import { itemIndemnityCents, stepDueOn } from './dunning-rules.ts';

/**
 * What the handlers, the nightly run and the people's actions share: opening a case or adding a
 * debt to the client's live one, writing its timeline, and settling it again from the payments.
 */

export const isoDay = (date: Date | null): string | null => (date ? date.toISOString().slice(0, 10) : null);
export const dateOf = (day: string): Date => new Date(`${day}T00:00:00Z`);

export interface CaseClock {
  today: string;
  now: Date;
  /** A member's id, or `system:<consumer or job>`. */
  createdBy: string;
}

export type EntryKind = 'opened' | 'item' | 'step' | 'payment' | 'paused' | 'resumed' | 'replanned' | 'payment_plan' | 'instalment' | 'proof' | 'closed';

export async function addCaseEntry(
  tx: Tx,
  tenantId: string,
  clock: CaseClock,
  entry: { caseId: string; kind: EntryKind; title: string; amountCents?: number | null; documentId?: string | null },
): Promise<void> {
  await tx.dunningCaseEntry.create({
    data: {
      tenantId,
      caseId: entry.caseId,
      kind: entry.kind,
      onDate: dateOf(clock.today),
      at: clock.now,
      title: entry.title,
      amountCents: entry.amountCents ?? null,
      documentId: entry.documentId ?? null,
      createdBy: clock.createdBy,
    },
  });
}

export interface ClaimedDebt {
  scheduleItemId: string | null;
  invoiceId: string | null;
  contractId: string | null;
  label: string;
  amountCents: number;
  dueDate: string;
}

/**
 * Claims debts of a client: into its live recovery case (open or paused), or a new case on the plan
 * of its audience (a company: b2b; a person: b2c). A debt already claimed, by this case or an
 * earlier one, is not claimed again (unique per schedule item and per invoice), so a replayed
 * event or a second scan adds nothing, and the 40 EUR of a B2B invoice is recorded once.
 */
export async function claimDebts(tx: Tx, tenantId: string, clock: CaseClock, clientId: string, debts: readonly ClaimedDebt[]): Promise<{ caseId: string; opened: boolean; added: number }> {
  const client = await tx.client.findFirst({ where: { tenantId, id: clientId }, select: { kind: true } });
  if (!client) throw new Error(`client ${clientId} not found for dunning`);
  const audience = client.kind === 'company' ? 'b2b' : 'b2c';
  const plan = (await loadDunningPlans(tx, tenantId)).find((p) => p.audience === audience)!;
  const candidate = newId();
  await tx.dunningCase.createMany({
    data: [
      {
        id: candidate,
        tenantId,
        clientId,
        planId: plan.id,
        purpose: 'recovery',
        audience,
        openedOn: dateOf(clock.today),
        cycleStartedOn: dateOf(clock.today),
        nextStepOn: plan.active ? dateOf(stepDueOn(plan.steps, 0, clock.today, null) ?? clock.today) : null,
        createdBy: clock.createdBy,
      },
    ],
    // The live-case index: a client has at most one open or paused recovery case.
    skipDuplicates: true,
  });
  const live = await tx.dunningCase.findFirstOrThrow({ where: { tenantId, clientId, purpose: 'recovery', status: { in: ['open', 'paused'] } }, select: { id: true } });
  const opened = live.id === candidate;
  if (opened) await addCaseEntry(tx, tenantId, clock, { caseId: live.id, kind: 'opened', title: `Dossier ouvert (${plan.name})` });
  let added = 0;
  for (const debt of debts) {
    const result = await tx.dunningCaseItem.createMany({
      data: [
        {
          tenantId,
          caseId: live.id,
          audience,
          scheduleItemId: debt.scheduleItemId,
          invoiceId: debt.invoiceId,
          contractId: debt.contractId,
          label: debt.label,
          amountCents: debt.amountCents,
          dueDate: dateOf(debt.dueDate),
          indemnityCents: itemIndemnityCents(audience, debt.invoiceId !== null),
        },
      ],
      skipDuplicates: true,
    });
    if (result.count === 1) {
      added++;
      await addCaseEntry(tx, tenantId, clock, { caseId: live.id, kind: 'item', title: debt.label, amountCents: debt.amountCents });
    }
  }
  // A case opened for nothing new (every debt already claimed elsewhere) does not stay.
  if (opened && added === 0) await tx.dunningCase.delete({ where: { tenantId_id: { tenantId, id: live.id } } });
  else await settleCase(tx, tenantId, clock, live.id);
  return { caseId: live.id, opened: opened && added > 0, added };
}

/**
 * What the payments of a schedule item add up to, from the payment rows in their order: money
 * received counts, a later rejection (return, refund) takes it back, a reject of a debit never
 * paid takes nothing (the same reading as the invoices consumer's).
 */
async function paidOnScheduleItems(tx: Tx, tenantId: string, scheduleItemIds: readonly string[]): Promise<Map<string, number>> {
  const balance = new Map<string, number>();
  if (scheduleItemIds.length === 0) return balance;
  const payments = await tx.payment.findMany({
    where: { tenantId, scheduleItemId: { in: [...scheduleItemIds] } },
    select: { scheduleItemId: true, outcome: true, amountCents: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  for (const p of payments) {
    const before = balance.get(p.scheduleItemId!) ?? 0;
    balance.set(p.scheduleItemId!, p.outcome === 'received' ? before + p.amountCents : Math.max(0, before - p.amountCents));
  }
  return balance;
}

/**
 * Reads a case's debts again from what pays them (payment rows of a schedule item, an invoice's
 * paid and credited amounts) and applies what changed: paid in full closes the case (closed
 * paid); a part payment on an open case re-plans it (a new cycle from today for what remains),
 * on a payment plan it goes to the instalments in their order, on a dispute it is only recorded.
 * Idempotent: reading the same rows twice changes nothing.
 */
export async function settleCase(tx: Tx, tenantId: string, clock: CaseClock, caseId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM dunning_cases WHERE tenant_id = ${tenantId}::uuid AND id = ${caseId}::uuid FOR UPDATE`;
  const kase = await tx.dunningCase.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: caseId } } });
  const items = await tx.dunningCaseItem.findMany({ where: { tenantId, caseId } });
  const bySchedule = await paidOnScheduleItems(tx, tenantId, items.flatMap((i) => (i.scheduleItemId ? [i.scheduleItemId] : [])));
  const invoiceIds = items.flatMap((i) => (i.invoiceId ? [i.invoiceId] : []));
  const invoices = invoiceIds.length ? await tx.invoice.findMany({ where: { tenantId, id: { in: invoiceIds } }, select: { id: true, paidCents: true, creditedCents: true } }) : [];
  let before = 0;
  let after = 0;
  let outstanding = 0;
  for (const item of items) {
    const invoice = invoices.find((i) => i.id === item.invoiceId);
    const paidByMoney = item.scheduleItemId ? (bySchedule.get(item.scheduleItemId) ?? 0) : (invoice?.paidCents ?? 0);
    const paid = Math.min(item.amountCents, paidByMoney + (invoice?.creditedCents ?? 0));
    before += item.paidCents;
    after += paid;
    outstanding += item.amountCents - paid;
    if (paid !== item.paidCents) await tx.dunningCaseItem.update({ where: { tenantId_id: { tenantId, id: item.id } }, data: { paidCents: paid } });
  }
  if (kase.status !== 'open' && kase.status !== 'paused') return;
  if (after > before) await addCaseEntry(tx, tenantId, clock, { caseId, kind: 'payment', title: 'Paiement reçu', amountCents: after - before });
  if (outstanding <= 0 && items.length > 0) {
    await tx.dunningCase.update({
      where: { tenantId_id: { tenantId, id: caseId } },
      data: { status: 'closed_paid', closedOn: dateOf(clock.today), nextStepOn: null, pauseReason: null, pauseNote: null },
    });
    await addCaseEntry(tx, tenantId, clock, { caseId, kind: 'closed', title: 'Dossier clos : dette réglée' });
    return;
  }
  if (after <= before) return;
  if (kase.status === 'open') {
    const plan = (await loadDunningPlans(tx, tenantId)).find((p) => p.id === kase.planId);
    const next = plan?.active ? stepDueOn(plan.steps, 0, clock.today, null) : null;
    await tx.dunningCase.update({
      where: { tenantId_id: { tenantId, id: caseId } },
      data: { cycle: kase.cycle + 1, level: 0, cycleStartedOn: dateOf(clock.today), lastStepOn: null, nextStepOn: next ? dateOf(next) : null },
    });
    await addCaseEntry(tx, tenantId, clock, { caseId, kind: 'replanned', title: 'Paiement partiel : relances reprises pour le reste dû', amountCents: outstanding });
  } else if (kase.pauseReason === 'payment_plan') {
    await allocateInstalments(tx, tenantId, caseId, after - items.reduce((sum, i) => sum + i.amountCents, 0));
  }
}

/**
 * The instalments of a payment plan, paid in their order from what the debtor paid since the plan
 * was agreed: `paidSinceBase` is the total paid minus what was not in the plan (negative before
 * anything was paid toward it).
 */
async function allocateInstalments(tx: Tx, tenantId: string, caseId: string, paidMinusPrincipal: number): Promise<void> {
  const instalments = await tx.dunningInstalment.findMany({ where: { tenantId, caseId }, orderBy: { position: 'asc' } });
  const planned = instalments.reduce((sum, i) => sum + i.amountCents, 0);
  let available = Math.max(0, planned + paidMinusPrincipal);
  for (const instalment of instalments) {
    const paid = Math.min(instalment.amountCents, available);
    available -= paid;
    if (paid !== instalment.paidCents) await tx.dunningInstalment.update({ where: { tenantId_id: { tenantId, id: instalment.id } }, data: { paidCents: paid } });
  }
}
