import { newId } from '@crm/db';
import { describe, expect, it } from 'vitest';
import {
  addAdjustment,
  addPlanVersion,
  DEFAULT_MAX_DOCUMENT_BYTES,
  getStatement,
  issueStatements,
  listCommissionLines,
  listStatements,
  payrollExport,
  repCommissionSummary,
  simulatePlan,
  storeStatementDocuments,
  updateRepCommission,
  ZAddAdjustmentInput,
  ZAddPlanVersionInput,
  ZPlanRules,
  ZSimulatePlanInput,
} from '../src/index.ts';
import { commissionStorage, commissionTenant, FIXTURE_RULES } from './commission-fixtures.ts';
import { pdfUnicodeText as pdfText } from './pdf-unicode-text.ts';

// Commissions on the real database: lines from events (each once), provisional then earned,
// clawback only when a debit is unrecovered or the contract lost, statements numbered, frozen,
// carrying a negative balance; who sees what (row-level security); PDFs, payroll and self-billing.

const received = (contractId: string, clientId: string, amountCents: number, receivedOn: string, paymentId = newId()) => ({
  paymentId,
  clientId,
  contractId,
  amountCents,
  receivedOn,
  method: 'sepa_debit' as const,
});

describe('commission lines from events', () => {
  it('makes a provisional one-shot at signature, once, earned by the first debit after the withdrawal period, with the manager’s override', async () => {
    const t = await commissionTenant();
    const c = await t.contract(t.reps.team.id, '2027-01-05');
    const signed = await t.emit('contract.signed', { contractId: c.id, clientId: c.clientId, salesRepId: c.salesRepId, signedAt: '2027-01-05T10:00:00Z' }, '2027-01-05');
    expect(signed.outcome).toBe('handled');
    expect(await signed.again()).toBe('duplicate');
    let lines = await t.lines();
    // 100 € + 5 % of 600 € a year (50 € a month): 130 €; the override 10 % of it to the manager.
    expect(lines.map((l) => [l.kind, l.status, l.amountCents, l.awaitsFirstDebit, l.earnAfter?.toISOString().slice(0, 10)])).toEqual([
      ['one_shot', 'provisional', 13_000, true, '2027-01-20'],
      ['override', 'provisional', 1_300, true, '2027-01-20'],
    ]);
    expect(lines[1]!.salesRepId).toBe(t.reps.lead.id);

    // A rejected first debit claws nothing back and earns nothing: it may be presented again.
    await t.emit('payment.rejected', { paymentId: newId(), clientId: c.clientId, contractId: c.id, amountCents: 6_000, reasonCode: 'AM04', reasonCategory: 'insufficient_funds', rTransaction: 'reject', rejectedOn: '2027-01-28', attempt: 1 }, '2027-01-28');
    await t.earn('2027-01-30');
    lines = await t.lines();
    expect(lines.map((l) => [l.kind, l.status])).toEqual([['one_shot', 'provisional'], ['override', 'provisional']]);

    // Re-presented and paid: the recurring share is earned, the one-shot from the day of the debit.
    const paid = await t.emit('payment.received', received(c.id, c.clientId, 6_000, '2027-02-06'), '2027-02-06');
    expect(await paid.again()).toBe('duplicate');
    lines = await t.lines();
    expect(lines.map((l) => [l.kind, l.status, l.amountCents, l.earnedOn?.toISOString().slice(0, 10), l.statementMonth?.toISOString().slice(0, 10)])).toEqual([
      ['one_shot', 'earned', 13_000, '2027-02-06', '2027-02-01'],
      ['override', 'earned', 1_300, '2027-02-06', '2027-02-01'],
      ['recurring', 'earned', 600, '2027-02-06', '2027-02-01'],
      ['override', 'earned', 60, '2027-02-06', '2027-02-01'],
    ]);
  });

  it('uses the plan version in force at the signature, not a later one', async () => {
    const t = await commissionTenant();
    await t.run((deps) => addPlanVersion(deps, ZAddPlanVersionInput.parse({ planId: t.plan.id, effectiveFrom: '2027-03-01', rules: { ...FIXTURE_RULES, oneShots: [{ trigger: 'signature', fixedCents: 50_000 }] } })));
    const before = await t.contract(t.reps.other.id, '2027-02-27', { consumer: false });
    const after = await t.contract(t.reps.other.id, '2027-03-02', { consumer: false });
    for (const c of [before, after]) await t.emit('contract.signed', { contractId: c.id, clientId: c.clientId, salesRepId: c.salesRepId, signedAt: `${c.signedOn}T10:00:00Z` }, c.signedOn);
    const amounts = (await t.lines()).filter((l) => l.kind === 'one_shot').map((l) => [l.contractId, l.amountCents]);
    expect(amounts).toEqual([[before.id, 13_000], [after.id, 50_000]]);
    // A version may not start before the latest one.
    expect(await t.failure(t.run((deps) => addPlanVersion(deps, ZAddPlanVersionInput.parse({ planId: t.plan.id, effectiveFrom: '2027-02-01', rules: FIXTURE_RULES }))))).toBe('CONFLICT');
  });

  it('voids a provisional one-shot when the debit is unrecovered, claws back an earned one on the next statement, referencing it', async () => {
    const t = await commissionTenant();
    const lost = await t.contract(t.reps.other.id, '2027-01-05');
    const kept = await t.contract(t.reps.other.id, '2027-01-06');
    for (const c of [lost, kept]) await t.emit('contract.signed', { contractId: c.id, clientId: c.clientId, salesRepId: c.salesRepId, signedAt: `${c.signedOn}T10:00:00Z` }, c.signedOn);
    await t.emit('payment.unrecovered', { paymentId: newId(), clientId: lost.clientId, contractId: lost.id, amountCents: 6_000, reasonCode: 'AM04', reasonCategory: 'insufficient_funds', attempts: 3, why: 'attempts_exhausted', rejectedOn: '2027-02-20' }, '2027-02-20');
    await t.emit('payment.received', received(kept.id, kept.clientId, 6_000, '2027-02-05'), '2027-02-05');
    expect((await t.issue('2027-02-01', '2027-03-01')).statementIds).toHaveLength(1);
    // Unpaid in April (within 6 months of signature): 100 % back, on March's statement.
    await t.emit('payment.unrecovered', { paymentId: newId(), clientId: kept.clientId, contractId: kept.id, amountCents: 6_000, reasonCode: 'AM04', reasonCategory: 'insufficient_funds', attempts: 2, why: 'attempts_exhausted', rejectedOn: '2027-02-25' }, '2027-03-02');
    const lines = await t.lines();
    const oneShots = lines.filter((l) => l.kind === 'one_shot');
    expect(oneShots.map((l) => [l.contractId, l.status])).toEqual([[lost.id, 'void'], [kept.id, 'earned']]);
    const clawback = lines.find((l) => l.kind === 'clawback')!;
    expect([clawback.amountCents, clawback.relatedLineId, clawback.statementMonth?.toISOString().slice(0, 10)]).toEqual([-13_000, oneShots[1]!.id, '2027-03-01']);
    // March: opening 0, the clawback: -130 €, nothing paid, -130 € carried to April.
    await t.issue('2027-03-01', '2027-04-01');
    await t.emit('payment.received', received(kept.id, kept.clientId, 200_000, '2027-04-05'), '2027-04-05');
    await t.issue('2027-04-01', '2027-05-01');
    const statements = await t.as(t.accountant, (deps) => listStatements(deps, {}));
    expect(statements.map((s) => [s.month, s.number, s.openingBalanceCents, s.linesCents, s.clawbacksCents, s.totalCents, s.netPayableCents, s.carriedForwardCents])).toEqual([
      ['2027-04-01', 'RC-2027-00003', -13_000, 20_000, 0, 7_000, 7_000, 0],
      ['2027-03-01', 'RC-2027-00002', 0, 0, -13_000, -13_000, 0, -13_000],
      ['2027-02-01', 'RC-2027-00001', 0, 13_600, 0, 13_600, 13_600, 0],
    ]);
  });

  it('claws back pro rata over the plan’s months when the plan says so, and nothing after them', async () => {
    const t = await commissionTenant({ ...FIXTURE_RULES, requireFirstDebit: false, clawbackMode: 'pro_rata', clawbackMonths: 12 });
    const c = await t.contract(t.reps.other.id, '2027-01-10', { consumer: false });
    await t.emit('contract.signed', { contractId: c.id, clientId: c.clientId, salesRepId: c.salesRepId, signedAt: '2027-01-10T10:00:00Z' }, '2027-01-10');
    await t.emit('contract.terminated', { contractId: c.id, clientId: c.clientId, endDate: '2027-04-15' }, '2027-04-01');
    // 3 whole months of 12 run: 9/12 of 130 € back.
    expect((await t.lines()).filter((l) => l.kind === 'clawback').map((l) => l.amountCents)).toEqual([-(13_000 - Math.floor((13_000 * 3) / 12))]);
  });
});

describe('statements', () => {
  it('are frozen once issued: lines, statements, and no line joins an issued month; a correction is an adjustment on the next', async () => {
    const t = await commissionTenant({ ...FIXTURE_RULES, requireFirstDebit: false });
    const c = await t.contract(t.reps.other.id, '2027-01-10', { consumer: false });
    await t.emit('contract.signed', { contractId: c.id, clientId: c.clientId, salesRepId: c.salesRepId, signedAt: '2027-01-10T10:00:00Z' }, '2027-01-10');
    expect(await t.failure(t.issue('2027-01-01', '2027-01-31'))).toBe('BAD_REQUEST');
    const [id] = (await t.issue('2027-01-01', '2027-02-01')).statementIds;
    expect((await t.issue('2027-01-01', '2027-02-02')).statementIds).toEqual([]);
    const { withTenant } = await import('@crm/db');
    const sql = (statement: string) => withTenant(t.db, t.tenantId, (tx) => tx.$executeRawUnsafe(statement)).then(() => 'OK', (e: Error) => (/cannot be|may join|commission_lines_adjustment_check/.test(e.message) ? 'REFUSED' : e.message));
    expect(await sql(`UPDATE commission_lines SET amount_cents = 1 WHERE tenant_id = '${t.tenantId}' AND kind = 'one_shot'`)).toBe('REFUSED');
    expect(await sql(`DELETE FROM commission_lines WHERE tenant_id = '${t.tenantId}'`)).toBe('REFUSED');
    expect(await sql(`UPDATE commission_statements SET net_payable_cents = 0, total_cents = 0 WHERE id = '${id}'`)).toBe('REFUSED');
    expect(await sql(`DELETE FROM commission_statements WHERE id = '${id}'`)).toBe('REFUSED');
    expect(
      await sql(`INSERT INTO commission_lines (id, tenant_id, sales_rep_id, kind, status, amount_cents, occurred_on, earned_on, statement_month, source_key, label)
                 VALUES (crm_uuid_v7(), '${t.tenantId}', '${t.reps.other.id}', 'recurring', 'earned', 100, '2027-01-15', '2027-01-15', '2027-01-01', 'late', 'x')`),
    ).toBe('REFUSED');
    // A reason and an author are required; the adjustment lands on February.
    expect(ZAddAdjustmentInput.safeParse({ salesRepId: t.reps.other.id, amountCents: 500, reason: '' }).success).toBe(false);
    expect(
      await sql(`INSERT INTO commission_lines (id, tenant_id, sales_rep_id, kind, status, amount_cents, occurred_on, earned_on, statement_month, source_key, label)
                 VALUES (crm_uuid_v7(), '${t.tenantId}', '${t.reps.other.id}', 'adjustment', 'earned', 100, '2027-02-15', '2027-02-15', '2027-02-01', 'no-reason', 'x')`),
    ).toBe('REFUSED');
    await t.as(t.accountant, (deps) => addAdjustment(deps, ZAddAdjustmentInput.parse({ salesRepId: t.reps.other.id, amountCents: -2_500, reason: 'Prime de janvier comptée deux fois' })), new Date('2027-02-03T09:00:00Z'));
    const line = (await t.lines()).find((l) => l.kind === 'adjustment')!;
    expect([line.statementMonth?.toISOString().slice(0, 10), line.createdBy, line.reason]).toEqual(['2027-02-01', t.accountant.userId, 'Prime de janvier comptée deux fois']);
  });

  it('renders the statement PDF in French, the self-billing invoice of an agent with its mentions, and the payroll CSV of salaried reps', async () => {
    const t = await commissionTenant({ ...FIXTURE_RULES, requireFirstDebit: false });
    await t.as(t.accountant, (deps) => updateRepCommission(deps, { salesRepId: t.reps.other.id, commissionStatus: 'agent', agentLegalName: 'OTHR Conseil EI', agentSiren: '732829320', agentAddress: '3 rue des Lilas, 69003 Lyon', agentVatFranchise: true }));
    for (const rep of [t.reps.other, t.reps.team]) {
      const c = await t.contract(rep.id, '2027-01-10', { consumer: false });
      await t.emit('contract.signed', { contractId: c.id, clientId: c.clientId, salesRepId: c.salesRepId, signedAt: '2027-01-10T10:00:00Z' }, '2027-01-10');
    }
    const documents = { storage: commissionStorage, maxBytes: DEFAULT_MAX_DOCUMENT_BYTES };
    const result = await t.as(t.accountant, (deps) => issueStatements({ ...deps, documents }, { month: '2027-01-01' }), new Date('2027-02-02T08:00:00Z'));
    expect(result).toEqual({ month: '2027-01-01', issued: 3, documents: 3 });
    const all = await t.as(t.accountant, (deps) => listStatements(deps, { month: '2027-01-01' }));
    const agent = all.find((s) => s.salesRep.id === t.reps.other.id)!;
    expect([agent.selfBillingNumber, agent.documentId !== null, agent.selfBillingDocumentId !== null]).toEqual(['AF-2027-00001', true, true]);
    const bytes = async (documentId: string) => {
      const doc = await t.as(t.accountant, (deps) => deps.tx.document.findFirstOrThrow({ where: { id: documentId } }));
      expect([doc.salesRepId, doc.clientId, doc.contractId]).toEqual([agent.salesRep.id, null, null]);
      const chunks: Buffer[] = [];
      for await (const chunk of await commissionStorage.get(doc.storageKey)) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    };
    const statementText = await pdfText(await bytes(agent.documentId!));
    expect(statementText).toContain('RELEVÉ DE COMMISSIONS');
    expect(statementText).toContain(agent.number);
    expect(statementText).toContain('Net à payer');
    const selfBilling = await pdfText(await bytes(agent.selfBillingDocumentId!));
    for (const mention of ['Autofacturation', 'au nom et pour le compte de OTHR Conseil EI', 'TVA non applicable, art. 293 B du CGI', 'AF-2027-00001', 'SIREN 732829320']) expect(selfBilling).toContain(mention);
    // Nothing left to render; a second run stores nothing.
    expect(await t.as(t.accountant, (deps) => storeStatementDocuments({ tx: deps.tx, tenantId: t.tenantId, now: deps.now, storage: commissionStorage, createdBy: null }))).toBe(0);
    const csv = await t.as(t.accountant, (deps) => payrollExport(deps, { month: '2027-01-01' }));
    expect(csv.csv.split('\r\n').filter(Boolean)).toEqual([
      '\uFEFFmatricule;code;nom;prenom;mois;releve;commissions_brutes;net_a_payer;solde_reporte',
      '"";"LEAD";"Rep";"LEAD";"2027-01";"RC-2027-00001";13,00;13,00;0,00',
      '"";"TEAM";"Rep";"TEAM";"2027-01";"RC-2027-00003";130,00;130,00;0,00',
    ]);
  });
});

describe('who sees what', () => {
  it('shows a sales member their own lines and statements, a manager the team’s, the back office all, a viewer none', async () => {
    const t = await commissionTenant({ ...FIXTURE_RULES, requireFirstDebit: false });
    for (const rep of [t.reps.other, t.reps.team]) {
      const c = await t.contract(rep.id, '2027-01-10', { consumer: false });
      await t.emit('contract.signed', { contractId: c.id, clientId: c.clientId, salesRepId: c.salesRepId, signedAt: '2027-01-10T10:00:00Z' }, '2027-01-10');
    }
    await t.issue('2027-01-01', '2027-02-01');
    const reps = async (who: typeof t.sales) => [...new Set((await t.as(who, (deps) => listCommissionLines(deps, {}))).map((l) => l.salesRep.code))].sort();
    expect(await reps(t.sales)).toEqual(['TEAM']);
    expect(await reps(t.manager)).toEqual(['LEAD', 'TEAM']);
    expect(await reps(t.accountant)).toEqual(['LEAD', 'OTHR', 'TEAM']);
    const statements = await t.as(t.accountant, (deps) => listStatements(deps, {}));
    const othr = statements.find((s) => s.salesRep.code === 'OTHR')!;
    expect(await t.failure(t.as(t.sales, (deps) => getStatement(deps, { statementId: othr.id })))).toBe('NOT_FOUND');
    expect((await t.as(t.sales, (deps) => listStatements(deps, {}))).map((s) => s.salesRep.code)).toEqual(['TEAM']);
    expect(await t.failure(t.as(t.sales, (deps) => repCommissionSummary(deps, { salesRepId: t.reps.other.id })))).toBe('NOT_FOUND');
    expect((await t.as(t.sales, (deps) => getStatement(deps, { statementId: statements.find((s) => s.salesRep.code === 'TEAM')!.id }))).lines).toHaveLength(1);
  });

  it('compares the month so far with the rep’s target', async () => {
    const t = await commissionTenant({ ...FIXTURE_RULES, requireFirstDebit: false });
    const { withTenant } = await import('@crm/db');
    await withTenant(t.db, t.tenantId, (tx) => tx.salesRepTarget.create({ data: { tenantId: t.tenantId, salesRepId: t.reps.team.id, month: new Date('2027-01-01T00:00:00Z'), revenueCents: 120_000, contractsCount: 4 } }));
    for (const day of ['2027-01-05', '2027-01-06']) {
      const c = await t.contract(t.reps.team.id, day, { consumer: false });
      await t.emit('contract.signed', { contractId: c.id, clientId: c.clientId, salesRepId: c.salesRepId, signedAt: `${day}T10:00:00Z` }, day);
    }
    const summary = await t.as(t.sales, (deps) => repCommissionSummary(deps, { salesRepId: t.reps.team.id }), new Date('2027-01-20T10:00:00Z'));
    expect(summary).toMatchObject({ month: '2027-01-01', earnedCents: 26_000, signedContracts: 2, signedValueCents: 120_000, target: { revenueCents: 120_000, contractsCount: 4 }, achievement: { revenuePercent: 100, contractsPercent: 50 } });
  });
});

describe('the simulator', () => {
  it('says what a month would have paid under the plan in force, tiers and cap included, writing nothing', async () => {
    const t = await commissionTenant();
    const input = ZSimulatePlanInput.parse({
      month: '2027-01-01',
      planId: t.plan.id,
      contracts: [
        { label: 'Payé', valueCents: 60_000, signedOn: '2027-01-05', collectedCents: [6_000] },
        { label: 'Impayé', valueCents: 60_000, signedOn: '2027-01-06', unpaid: true },
        { label: 'Fin de mois', valueCents: 60_000, signedOn: '2027-01-25', collectedCents: [6_000] },
      ],
    });
    const result = await t.run((deps) => simulatePlan(deps, input));
    // One-shot of the first (withdrawal over on the 20th); the last one waits for February; 10 % of both debits; tier 1 % above 1,000 €.
    expect(result.lines.map((l) => [l.contract, l.kind, l.amountCents])).toEqual([
      ['Payé', 'one_shot', 13_000],
      ['Payé', 'recurring', 600],
      ['Fin de mois', 'recurring', 600],
      ['', 'tier', 800],
    ]);
    expect(result.totals.netPayableCents).toBe(15_000);
    const capped = await t.run((deps) => simulatePlan(deps, { ...input, planId: undefined, rules: ZPlanRules.parse({ ...FIXTURE_RULES, monthlyCapCents: 10_000 }) }));
    expect(capped.totals.netPayableCents).toBe(10_000);
    expect((await t.lines()).length).toBe(0);
  });
});
