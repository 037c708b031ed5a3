import { newId, withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import { addMonths, addDays } from '../src/commissions/commission-rules.ts';
import { commissionTenant, FIXTURE_RULES } from './commission-fixtures.ts';

// Reconciliation over a generated year: contracts signed by three reps, monthly debits, first
// debits rejected then recovered or not (AM04), withdrawals, cancellations and terminations, the
// daily job and a statement run each month. Every cent of every issued statement is a line, and
// the same events replayed into another organisation give the same statements.

function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Step =
  | { day: string; order: number; kind: 'sign'; contract: number }
  | { day: string; order: number; kind: 'paid' | 'rejected' | 'unrecovered' | 'cancelled' | 'terminated'; contract: number; amount?: number };

/** The year's script, from the seed alone (contract k: rep, day, price, what becomes of it). */
function script(seed: number, contracts: number) {
  const next = random(seed);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const specs = Array.from({ length: contracts }, (_, k) => ({
    k,
    rep: pick(['team', 'other', 'lead'] as const),
    signedOn: `2027-${String(1 + Math.floor(next() * 11)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`,
    monthlyCents: 2_000 + Math.floor(next() * 10) * 1_000,
    consumer: next() < 0.7,
    fate: pick(['paid', 'paid', 'recovered', 'unpaid', 'unrecovered', 'withdrawn', 'terminated'] as const),
  }));
  const steps: Step[] = [];
  let order = 0;
  for (const c of specs) {
    steps.push({ day: c.signedOn, order: order++, kind: 'sign', contract: c.k });
    if (c.fate === 'withdrawn') {
      steps.push({ day: addDays(c.signedOn, 1 + Math.floor(next() * 13)), order: order++, kind: 'cancelled', contract: c.k });
      continue;
    }
    const stopAt = c.fate === 'terminated' ? 2 + Math.floor(next() * 6) : 12;
    for (let n = 0; n < stopAt; n++) {
      const due = addMonths(addDays(c.signedOn, 20), n);
      if (due > '2027-12-31') break;
      // The first debit rejected then paid (recovered) or never (unpaid: the one-shots are void);
      // the third rejected and unrecovered (AM04): the earned one-shots are clawed back.
      if ((n === 0 && (c.fate === 'recovered' || c.fate === 'unpaid')) || (n === 2 && c.fate === 'unrecovered')) {
        const recovered = c.fate === 'recovered';
        steps.push({ day: due, order: order++, kind: 'rejected', contract: c.k, amount: c.monthlyCents });
        steps.push({ day: addDays(due, 10), order: order++, kind: recovered ? 'paid' : 'unrecovered', contract: c.k, amount: c.monthlyCents });
        if (!recovered) break;
        continue;
      }
      steps.push({ day: due, order: order++, kind: 'paid', contract: c.k, amount: c.monthlyCents });
    }
    if (c.fate === 'terminated') steps.push({ day: addMonths(c.signedOn, stopAt), order: order++, kind: 'terminated', contract: c.k });
  }
  steps.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.order - b.order));
  return { specs, steps };
}

async function runYear(seed: number) {
  const t = await commissionTenant({ ...FIXTURE_RULES, clawbackMode: 'pro_rata', monthlyCapCents: 60_000 });
  const { specs, steps } = script(seed, 36);
  const ids = new Map<number, { id: string; clientId: string; salesRepId: string }>();
  const handled: Awaited<ReturnType<typeof t.emit>>[] = [];
  const months = Array.from({ length: 12 }, (_, m) => `2027-${String(m + 1).padStart(2, '0')}-01`);
  let issuedUpTo = -1;
  const issueUntil = async (day: string) => {
    // Each month's statements on the 2nd of the next, after that day's job.
    while (issuedUpTo + 1 < months.length && addMonths(months[issuedUpTo + 1]!, 1) < day) {
      const month = months[++issuedUpTo]!;
      const runDay = addDays(addMonths(month, 1), 1);
      await t.earn(runDay);
      await t.issue(month, runDay);
    }
  };
  for (const step of steps) {
    await issueUntil(step.day);
    await t.earn(step.day);
    const spec = specs[step.contract]!;
    if (step.kind === 'sign') {
      const rep = t.reps[spec.rep];
      const c = await t.contract(rep.id, spec.signedOn, { consumer: spec.consumer, monthlyCents: spec.monthlyCents });
      ids.set(step.contract, c);
      handled.push(await t.emit('contract.signed', { contractId: c.id, clientId: c.clientId, salesRepId: c.salesRepId, signedAt: `${spec.signedOn}T10:00:00Z` }, step.day));
      continue;
    }
    const c = ids.get(step.contract)!;
    const base = { paymentId: newId(), clientId: c.clientId, contractId: c.id, amountCents: step.amount ?? 0 };
    if (step.kind === 'paid') handled.push(await t.emit('payment.received', { ...base, receivedOn: step.day, method: 'sepa_debit' }, step.day));
    if (step.kind === 'rejected') handled.push(await t.emit('payment.rejected', { ...base, reasonCode: 'AM04', reasonCategory: 'insufficient_funds', rTransaction: 'reject', rejectedOn: step.day, attempt: 1 }, step.day));
    if (step.kind === 'unrecovered') handled.push(await t.emit('payment.unrecovered', { ...base, reasonCode: 'AM04', reasonCategory: 'insufficient_funds', attempts: 2, why: 'attempts_exhausted', rejectedOn: step.day }, step.day));
    if (step.kind === 'cancelled') handled.push(await t.emit('contract.cancelled', { contractId: c.id, clientId: c.clientId, reason: 'Rétractation', withdrawn: true }, step.day));
    if (step.kind === 'terminated') handled.push(await t.emit('contract.terminated', { contractId: c.id, clientId: c.clientId, endDate: step.day }, step.day));
  }
  await issueUntil('2028-01-03');
  const statements = await withTenant(t.db, t.tenantId, (tx) =>
    tx.commissionStatement.findMany({ where: { tenantId: t.tenantId }, orderBy: { number: 'asc' }, include: { salesRep: { select: { code: true } } } }),
  );
  return { t, handled, steps, statements };
}

const summary = (statements: Awaited<ReturnType<typeof runYear>>['statements']) =>
  statements.map((s) => [s.salesRep.code, s.month.toISOString().slice(0, 7), s.number, s.openingBalanceCents, s.linesCents, s.clawbacksCents, s.adjustmentsCents, s.netPayableCents, s.carriedForwardCents]);

describe('a generated year of commissions', () => {
  it('pays in its statements exactly the lines earned, and gives the same statements when its events are replayed', { timeout: 300_000 }, async () => {
    const first = await runYear(2027);
    const { t, statements } = first;
    expect(first.steps.filter((s) => s.kind === 'unrecovered').length).toBeGreaterThan(0);
    expect(first.steps.filter((s) => s.kind === 'cancelled').length).toBeGreaterThan(0);
    expect(statements.length).toBeGreaterThan(12);

    const lines = await t.lines();
    const issuedLines = lines.filter((l) => l.status === 'earned' && l.statementMonth! <= new Date('2027-12-01T00:00:00Z'));
    expect(lines.some((l) => l.kind === 'clawback')).toBe(true);
    expect(lines.some((l) => l.kind === 'override')).toBe(true);
    expect(lines.some((l) => l.status === 'void')).toBe(true);
    // Per rep: the statements' movements are the rep's issued lines, to the cent; what was paid,
    // plus the negative balance still carried, is the same sum (never a deduction below zero).
    for (const rep of Object.values(t.reps)) {
      const own = statements.filter((s) => s.salesRepId === rep.id);
      const moved = own.reduce((sum, s) => sum + s.linesCents + s.clawbacksCents + s.adjustmentsCents, 0);
      const linesSum = issuedLines.filter((l) => l.salesRepId === rep.id).reduce((sum, l) => sum + l.amountCents, 0);
      expect(moved, rep.code).toBe(linesSum);
      const paid = own.reduce((sum, s) => sum + s.netPayableCents, 0);
      expect(paid + (own.at(-1)?.carriedForwardCents ?? 0), rep.code).toBe(linesSum);
      for (const s of own) expect(s.netPayableCents).toBeGreaterThanOrEqual(0);
      expect(own.map((s) => s.lineCount).reduce((a, b) => a + b, 0)).toBe(issuedLines.filter((l) => l.salesRepId === rep.id).length);
    }
    expect(statements.reduce((sum, s) => sum + s.linesCents + s.clawbacksCents + s.adjustmentsCents, 0)).toBe(issuedLines.reduce((sum, l) => sum + l.amountCents, 0));

    // Each event a second time: nothing new.
    for (const h of first.handled) expect(await h.again()).toBe('duplicate');
    expect((await t.lines()).length).toBe(lines.length);

    // The same year replayed from its events into another organisation: the same statements.
    const second = await runYear(2027);
    expect(summary(second.statements)).toEqual(summary(statements));
  });
});
