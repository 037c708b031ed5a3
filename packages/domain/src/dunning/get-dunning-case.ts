import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { parisDay } from '../shared/paris-day.ts';
import { caseEntries, caseStatusLabel, stepsOfCase } from './dunning-case-view.ts';
import { isoDay } from './dunning-cases.ts';
import { loadDunningPlans } from './dunning-plans.ts';
import { caseCharges, CHANNEL_LABELS, type Channel } from './dunning-rules.ts';
import type { TDunningCaseIdInput } from './dunning.schema.ts';

/**
 * A case as its page shows it: the client, the debts and what they cost today (B2B penalties and
 * indemnities, B2C nothing but legal interest after a formal notice), the plan's steps (done, next,
 * later, with their dates), the timeline, the payment plan's instalments, and the letters posted
 * for it with their proofs (deposit, acknowledgement of receipt, archive).
 */
export async function getDunningCase(deps: TenantDeps, input: TDunningCaseIdInput) {
  const { tx, actor } = deps;
  const tenantId = actor.tenantId;
  const kase = await tx.dunningCase.findFirst({ where: { tenantId, id: input.caseId } });
  if (!kase) throw notFound('Dossier de relance');
  const today = parisDay(deps.now);
  const [plans, client, items, entries, instalments, letters, organisation] = await Promise.all([
    loadDunningPlans(tx, tenantId),
    tx.client.findFirst({ where: { tenantId, id: kase.clientId }, select: { id: true, displayName: true, kind: true, email: true } }),
    tx.dunningCaseItem.findMany({ where: { tenantId, caseId: kase.id }, orderBy: { dueDate: 'asc' } }),
    caseEntries(tx, tenantId, [kase.id]),
    tx.dunningInstalment.findMany({ where: { tenantId, caseId: kase.id }, orderBy: { position: 'asc' } }),
    tx.letter.findMany({
      where: { tenantId, dunningCaseId: kase.id },
      orderBy: { createdAt: 'asc' },
      select: { id: true, service: true, status: true, deliveryStatus: true, registeredNumber: true, postageCents: true, documentId: true, depositProofDocumentId: true, acknowledgementDocumentId: true, archiveDocumentId: true, createdAt: true },
    }),
    tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { latePenaltyRateBasisPoints: true } }),
  ]);
  if (!client) throw notFound('Dossier de relance');
  const plan = plans.find((p) => p.id === kase.planId);
  const charges =
    kase.purpose === 'recovery'
      ? caseCharges(
          { audience: kase.audience as 'b2b' | 'b2c', contractRateBasisPoints: organisation.latePenaltyRateBasisPoints ?? null, formalNoticeOn: isoDay(kase.formalNoticeOn) },
          items.map((i) => ({ amountCents: i.amountCents, paidCents: i.paidCents, dueDate: isoDay(i.dueDate)!, isInvoice: i.invoiceId !== null })),
          today,
        )
      : null;
  return {
    id: kase.id,
    status: kase.status,
    statusLabel: caseStatusLabel(kase),
    purpose: kase.purpose,
    audience: kase.audience,
    level: kase.level,
    cycle: kase.cycle,
    openedOn: isoDay(kase.openedOn)!,
    closedOn: isoDay(kase.closedOn),
    pauseReason: kase.pauseReason,
    pauseNote: kase.pauseNote,
    formalNoticeOn: isoDay(kase.formalNoticeOn),
    client,
    plan: plan ? { id: plan.id, name: plan.name, active: plan.active } : null,
    charges,
    items: items.map((i) => ({ id: i.id, label: i.label, dueDate: isoDay(i.dueDate)!, amountCents: i.amountCents, paidCents: i.paidCents, indemnityCents: i.indemnityCents, invoiceId: i.invoiceId, scheduleItemId: i.scheduleItemId })),
    steps: stepsOfCase(kase, plan, entries.filter((e) => e.kind === 'step')),
    timeline: entries.map((e) => ({
      id: e.id,
      kind: e.kind,
      on: isoDay(e.onDate)!,
      at: e.at.toISOString(),
      title: e.title,
      channelLabel: e.channel ? CHANNEL_LABELS[e.channel as Channel] : null,
      state: e.state,
      amountCents: e.amountCents,
      documentId: e.documentId,
    })),
    instalments: instalments.map((i) => ({ position: i.position, dueOn: isoDay(i.dueOn)!, amountCents: i.amountCents, paidCents: i.paidCents, late: i.paidCents < i.amountCents && isoDay(i.dueOn)! < today })),
    letters: letters.map((l) => ({ ...l, createdAt: l.createdAt.toISOString() })),
  };
}
