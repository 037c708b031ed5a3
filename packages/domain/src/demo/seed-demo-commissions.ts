import { newId } from '@crm/db';
import { createPlan } from '../commissions/create-plan.ts';
import { addMonths, monthOf } from '../commissions/commission-rules.ts';
import { commissionsOnEvent } from '../commissions/commissions-on-event.ts';
import { ZCreatePlanInput } from '../commissions/commissions.schema.ts';
import { issueStatementsIn } from '../commissions/issue-statements.ts';
import { storeStatementDocuments } from '../commissions/store-statement-documents.ts';
import type { DocumentDeps } from '../documents/document-view.ts';
import type { EventPayload, EventType } from '../events/catalogue.ts';
import { parisDay } from '../shared/paris-day.ts';

/**
 * The demo's commissions: a default plan (its simulator usable as is), and two reps' last two
 * months issued as statements. Thomas Roux (salaried, in Sophie Laurent's team: her override) had
 * a contract whose debit was rejected AM04 and never recovered: its one-shot is clawed back on the
 * second statement. Julien Perrin is an independent agent: his statements come with their
 * self-billing invoices. The commission handler is called directly with the events of that past
 * (never written to the outbox: the other consumers would act on a made-up past).
 */
export async function seedDemoCommissions(deps: DocumentDeps, reps: { thomas: string; julien: string }) {
  const { tx, actor, now } = deps;
  const tenantId = actor.tenantId;
  const today = parisDay(now);
  const m2 = addMonths(monthOf(today), -2);
  const m1 = addMonths(monthOf(today), -1);
  const day = (month: string, d: number) => `${month.slice(0, 8)}${String(d).padStart(2, '0')}`;
  await createPlan(deps, ZCreatePlanInput.parse({
    name: 'Plan standard',
    isDefault: true,
    effectiveFrom: addMonths(m2, -10),
    rules: {
      oneShots: [{ trigger: 'signature', fixedCents: 8_000, valueRateBasisPoints: 300 }],
      recurringRateBasisPoints: 500,
      tiers: { mode: 'marginal', brackets: [{ fromCents: 0, rateBasisPoints: 0 }, { fromCents: 150_000, rateBasisPoints: 200 }] },
      monthlyCapCents: 300_000,
      managerOverrideBasisPoints: 1_000,
      requireFirstDebit: true,
      withdrawalDays: 14,
      clawbackMonths: 6,
      clawbackMode: 'full',
    },
  }));
  await tx.salesRep.update({
    where: { tenantId_id: { tenantId, id: reps.julien } },
    data: { commissionStatus: 'agent', agentLegalName: 'Julien Perrin EI', agentSiren: '443061841', agentAddress: '8 quai Perrache, 69002 Lyon', agentVatFranchise: true },
  });
  await tx.salesRep.update({ where: { tenantId_id: { tenantId, id: reps.thomas } }, data: { payrollId: 'VRP-0042' } });

  let n = 0;
  const contract = async (salesRepId: string, signedOn: string, consumer: boolean, monthlyCents: number) => {
    const client = await tx.client.findFirstOrThrow({ where: { tenantId, salesRepId, kind: consumer ? 'person' : { in: ['person', 'company'] } }, select: { id: true }, orderBy: { createdAt: 'asc' } });
    const row = await tx.contract.create({
      data: {
        tenantId, number: `CT-HIST-${String(++n).padStart(3, '0')}`, clientId: client.id, salesRepId, status: 'active', billingFrequency: 'monthly',
        startDate: new Date(`${signedOn}T00:00:00Z`), durationMonths: 12, paymentMethod: 'sepa_debit', consumer,
        signedAt: new Date(`${signedOn}T09:00:00Z`), signedOn: new Date(`${signedOn}T00:00:00Z`), signerName: 'Client historique',
        notes: 'Contrat d’historique de la démonstration (commissions)',
        lines: { create: [{ label: 'Électricité Essentiel', quantity: 1, unitPriceCents: monthlyCents, vatRateBasisPoints: 2000, position: 0 }] },
      },
    });
    return { id: row.id, clientId: client.id, salesRepId, signedOn };
  };
  const handle = <T extends EventType>(type: T, payload: EventPayload<T>, on: string) =>
    commissionsOnEvent(tx, { id: newId(), type, tenantId, occurredAt: `${on}T12:00:00.000Z`, payload }, {
      now: new Date(`${on}T12:00:00Z`), timeZone: 'Europe/Paris', today: on, actor: { kind: 'system', tenantId, name: 'system:seed' }, storage: deps.documents.storage,
      queueMail: () => Promise.resolve(),
    });
  const signed = (c: Awaited<ReturnType<typeof contract>>) =>
    handle('contract.signed', { contractId: c.id, clientId: c.clientId, salesRepId: c.salesRepId, signedAt: `${c.signedOn}T09:00:00Z` }, c.signedOn);
  const paid = (c: Awaited<ReturnType<typeof contract>>, on: string, cents: number) =>
    handle('payment.received', { paymentId: newId(), clientId: c.clientId, contractId: c.id, amountCents: cents, receivedOn: on, method: 'sepa_debit' }, on);

  const a = await contract(reps.thomas, day(m2, 3), true, 5_990);
  const b = await contract(reps.thomas, day(m2, 5), true, 10_480);
  const c = await contract(reps.julien, day(m2, 8), false, 18_000);
  for (const x of [a, b, c]) await signed(x);
  await paid(a, day(m2, 25), 7_188);
  await paid(b, day(m2, 26), 12_576);
  await paid(c, day(m2, 27), 21_600);
  const issue = (month: string, on: string) => issueStatementsIn({ tx, tenantId, now, today: on, issuedBy: actor.userId, actorUserId: actor.userId }, month);
  await issue(m2, day(m1, 2));
  // The next month: B's debit rejected for insufficient funds (AM04), re-presented, rejected again, given up.
  await paid(a, day(m1, 25), 7_188);
  await paid(c, day(m1, 27), 21_600);
  const rejected = { clientId: b.clientId, contractId: b.id, amountCents: 12_576, reasonCode: 'AM04', reasonCategory: 'insufficient_funds' as const };
  await handle('payment.rejected', { ...rejected, paymentId: newId(), rTransaction: 'reject', rejectedOn: day(m1, 8), attempt: 1 }, day(m1, 8));
  await handle('payment.rejected', { ...rejected, paymentId: newId(), rTransaction: 'reject', rejectedOn: day(m1, 20), attempt: 2 }, day(m1, 20));
  await handle('payment.unrecovered', { ...rejected, paymentId: newId(), attempts: 2, why: 'attempts_exhausted', rejectedOn: day(m1, 20) }, day(m1, 21));
  await issue(m1, today);
  await storeStatementDocuments({ tx, tenantId, now, storage: deps.documents.storage, createdBy: actor.userId });
}
