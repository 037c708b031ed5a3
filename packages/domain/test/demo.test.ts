import { rm } from 'node:fs/promises';
import { withTenant } from '@crm/db';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_DOCUMENT_BYTES, DEMO_LOGIN, LocalDiskStorage, logIn, parisDay, representationDate, seedDemo } from '../src/index.ts';
import { testAuthDeps } from './harness.ts';

const storage = LocalDiskStorage.temporary('crm-demo-documents');
afterAll(() => rm(storage.root, { recursive: true, force: true }));

describe('demo data', () => {
  it('gives a new user an organisation where every screen has something to show, once', async () => {
    const deps = { ...testAuthDeps(), documents: { storage, maxBytes: DEFAULT_MAX_DOCUMENT_BYTES } };
    await seedDemo(deps);
    expect((await seedDemo(deps)).created).toBe(false);
    const session = await logIn(deps, { email: DEMO_LOGIN.email, password: DEMO_LOGIN.password }, { ip: '127.0.0.1' });
    const counts = await withTenant(deps.db, session.organisationId!, async (tx) => ({
      reps: await tx.salesRep.count(),
      products: await tx.product.count(),
      clients: await tx.client.count(),
      assigned: await tx.client.count({ where: { salesRepId: { not: null } } }),
      tasks: await tx.activity.count({ where: { kind: 'task', doneAt: null } }),
      appointments: await tx.appointment.count(),
      events: await tx.outboxEvent.count({ where: { type: 'client.created' } }),
      contracts: await tx.contract.count(),
      signed: await tx.outboxEvent.count({ where: { type: 'contract.signed' } }),
      signedPdfs: await tx.document.count({ where: { kind: 'signed_contract' } }),
    }));
    const invoices = await withTenant(deps.db, session.organisationId!, (tx) => tx.invoice.findMany({ select: { kind: true, status: true, series: true, number: true } }));
    expect(invoices.filter((i) => i.kind === 'invoice' && i.series === 'b2c' && i.number).length).toBeGreaterThan(0);
    expect(invoices.filter((i) => i.kind === 'credit_note')).toHaveLength(1);
    expect(invoices.filter((i) => i.series === 'b2b' && i.number)).toHaveLength(1);
    expect(invoices.filter((i) => i.status === 'draft')).toEqual([]);
    // An AM04 reject re-presented on the payday after the earliest date, an AC04 reject handed to dunning.
    const rejects = await withTenant(deps.db, session.organisationId!, (tx) =>
      tx.paymentRetry.findMany({ include: { payment: { select: { reasonCode: true, valueDate: true } }, representedItem: { select: { dueDate: true, attempt: true, status: true } } }, orderBy: { createdAt: 'asc' } }),
    );
    expect(rejects.map((r) => [r.payment.reasonCode, r.decision, r.why])).toEqual([['AM04', 'represent', null], ['AC04', 'unrecovered', 'not_retryable']]);
    const today = parisDay(new Date());
    const expected = representationDate(today, { preNotificationDays: 14, cutOffBusinessDays: 1 }, 'after_first_of_month');
    expect(rejects[0]!.representedItem).toMatchObject({ attempt: 2, status: 'planned' });
    expect(rejects[0]!.representedItem!.dueDate.toISOString().slice(0, 10)).toBe(expected);
    const unrecovered = await withTenant(deps.db, session.organisationId!, (tx) => tx.outboxEvent.findMany({ where: { type: 'payment.unrecovered' } }));
    expect(unrecovered.map((e) => (e.payload as { reasonCode: string }).reasonCode)).toEqual(['AC04']);
    // Two reps' statements of the last two months (and their manager's override), one with the clawback of an AM04 debit never recovered.
    const commissions = await withTenant(deps.db, session.organisationId!, async (tx) => ({
      statements: await tx.commissionStatement.findMany({ orderBy: { number: 'asc' }, select: { number: true, commissionStatus: true, clawbacksCents: true, documentId: true, selfBillingDocumentId: true, salesRep: { select: { lastName: true } } } }),
      clawback: await tx.commissionLine.findFirst({ where: { kind: 'clawback' }, select: { label: true, relatedLineId: true } }),
      plan: await tx.commissionPlan.findFirst({ where: { isDefault: true }, select: { name: true } }),
    }));
    expect(new Set(commissions.statements.map((s) => s.salesRep.lastName))).toEqual(new Set(['Roux', 'Perrin', 'Laurent']));
    expect(commissions.statements.filter((s) => s.clawbacksCents < 0).map((s) => s.salesRep.lastName).sort()).toEqual(['Laurent', 'Roux']);
    expect(commissions.statements.every((s) => s.documentId !== null)).toBe(true);
    expect(commissions.statements.filter((s) => s.commissionStatus === 'agent').every((s) => s.selfBillingDocumentId !== null)).toBe(true);
    expect(commissions.clawback).toMatchObject({ label: 'Reprise : prélèvement impayé non recouvré' });
    expect(commissions.plan).toEqual({ name: 'Plan standard' });
    // Dunning: the AC04 reject's case went through its reminders to the formal notice, posted with
    // its proofs; a second consumer's case just opened; no fee on either (B2C).
    const dunning = await withTenant(deps.db, session.organisationId!, async (tx) => ({
      cases: await tx.dunningCase.findMany({ select: { audience: true, status: true, level: true, formalNoticeOn: true } }),
      reminders: await tx.outgoingEffect.count({ where: { template: 'dunning-reminder' } }),
      letters: await tx.letter.findMany({ select: { service: true, depositProofDocumentId: true, acknowledgementDocumentId: true } }),
      fees: await tx.dunningCaseItem.aggregate({ _sum: { indemnityCents: true } }),
    }));
    expect(dunning.cases.map((c) => [c.audience, c.status]).sort()).toEqual([['b2c', 'open'], ['b2c', 'open']]);
    expect(dunning.cases.some((c) => c.formalNoticeOn !== null && c.level === 4)).toBe(true);
    expect(dunning.reminders).toBe(2);
    expect(dunning.letters).toHaveLength(1);
    expect(dunning.letters[0]).toMatchObject({ service: 'registered_with_ack' });
    expect(dunning.letters[0]!.depositProofDocumentId && dunning.letters[0]!.acknowledgementDocumentId).toBeTruthy();
    expect(dunning.fees._sum.indemnityCents).toBe(0);
    expect(counts).toEqual({ reps: 4, products: 4, clients: 36, assigned: 36, tasks: 5, appointments: 4, events: 36, contracts: 9, signed: 4, signedPdfs: 4 });
  });
});
