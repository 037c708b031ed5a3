import { describe, expect, it } from 'vitest';
import {
  amendMandate,
  buildBatch,
  importBankReturns,
  listPayments,
  markBatchSent,
  updateOrganisation,
  ZAmendMandateInput,
  ZBatchDateInput,
  ZListPaymentsInput,
  ZUpdateOrganisationInput,
} from '../src/index.ts';
import { failure, paymentsTenant } from './payments-fixtures.ts';

// What a return file may change, by what it says and what the debit already is: whole-file
// rejections, debits already paid or already rejected, returns and refunds after payment, reason
// codes kept as received with their category, and matching from what the batch froze.

const bytes = (text: string) => new TextEncoder().encode(text);

/** A tenant with one sent batch of two debits (1 703 and 2 400 cents) collected on 7 April 2026. */
async function sentBatch() {
  const t = await paymentsTenant();
  const { contract, event } = await t.signedContract();
  await t.deliver(event);
  const batch = await t.run((deps) => buildBatch(deps, ZBatchDateInput.parse({ collectionDate: '2026-04-07' })));
  await t.run((deps) => markBatchSent(deps, { batchId: batch.id }));
  const [first, second] = batch.items;
  return { t, contract, batch, first: first!, second: second! };
}

const pain002 = (originalMsgId: string, status: { group?: string; block?: { id: string; status: string; reason?: string } }, reason = 'FF01') => `<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
  <GrpHdr><MsgId>STS-${Math.random().toString(36).slice(2, 10)}</MsgId><CreDtTm>2026-04-08T08:00:00</CreDtTm></GrpHdr>
  <OrgnlGrpInfAndSts><OrgnlMsgId>${originalMsgId}</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId>${status.group ? `<GrpSts>${status.group}</GrpSts><StsRsnInf><Rsn><Cd>${reason}</Cd></Rsn></StsRsnInf>` : ''}</OrgnlGrpInfAndSts>
  ${status.block ? `<OrgnlPmtInfAndSts><OrgnlPmtInfId>${status.block.id}</OrgnlPmtInfId><PmtInfSts>${status.block.status}</PmtInfSts>${status.block.reason ? `<StsRsnInf><Rsn><Cd>${status.block.reason}</Cd></Rsn></StsRsnInf>` : ''}</OrgnlPmtInfAndSts>` : ''}
</CstmrPmtStsRpt></Document>`;

const csv = (...rows: string[]) => bytes(['end_to_end_id;status;reason_code;amount;date', ...rows].join('\n'));

async function state(t: Awaited<ReturnType<typeof sentBatch>>['t'], ids: string[]) {
  const items = await t.run(({ tx }) => tx.scheduleItem.findMany({ where: { id: { in: ids } }, orderBy: { endToEndId: 'asc' }, select: { status: true } }));
  const payments = await t.run(({ tx }) => tx.payment.findMany({ orderBy: { createdAt: 'asc' }, select: { outcome: true, reasonCode: true, reasonCategory: true, rTransaction: true, scheduleItemId: true } }));
  return { items: items.map((i) => i.status), payments };
}

describe('a pain.002 rejecting a whole file', () => {
  it('rejects only the debits still awaiting an answer; a debit already paid stays paid and is reported', async () => {
    const { t, batch, first, second } = await sentBatch();
    await t.run((deps) => importBankReturns(deps, { fileName: 'credit.csv', bytes: csv(`${first.endToEndId};settled;;17,03;2026-04-09`) }));
    const outboxBefore = (await t.outbox('payment.rejected')).length;

    const report = await t.run((deps) => importBankReturns(deps, { fileName: 'rjct.xml', bytes: bytes(pain002(batch.messageId, { group: 'RJCT' })) }));
    expect(report.report).toMatchObject({ rejected: 1, matched: 1 });
    expect(report.report.problems).toEqual([
      { at: expect.any(String), message: expect.stringMatching(new RegExp(`^${first.endToEndId} : déjà réglé : le rejet du fichier entier ne s’applique pas`)) },
    ]);
    const after = await state(t, [first.id, second.id]);
    expect(after.items).toEqual(['paid', 'rejected']);
    expect(after.payments).toEqual([
      { outcome: 'received', reasonCode: null, reasonCategory: null, rTransaction: null, scheduleItemId: first.id },
      { outcome: 'rejected', reasonCode: 'FF01', reasonCategory: 'technical', rTransaction: 'reject', scheduleItemId: second.id },
    ]);
    expect(await t.outbox('payment.rejected')).toHaveLength(outboxBefore + 1);
  });

  it('a block status touches the debits of that block only, read from the stored file even after a mandate moved to a Swiss IBAN', async () => {
    const { t, batch, first, second } = await sentBatch();
    const mandate = await t.run(({ tx }) => tx.sepaMandate.findFirstOrThrow({ where: { scheduleItems: { some: { id: first.id } } } }));
    await t.run((deps) => amendMandate(deps, ZAmendMandateInput.parse({ mandateId: mandate.id, iban: 'CH9300762011623852957', bic: 'UBSWCHZH80A' })));
    // A renderable file is not needed any more: the creditor's details could be gone too.
    await t.run(({ tx }) => tx.organisation.update({ where: { id: t.owner.tenantId }, data: { creditorIban: null, sepaCreditorId: null } }));
    const report = await t.run((deps) =>
      importBankReturns(deps, { fileName: 'block.xml', bytes: bytes(pain002(batch.messageId, { block: { id: `${batch.messageId}-1`, status: 'RJCT', reason: 'AM04' } })) }),
    );
    expect(report.report).toMatchObject({ rejected: 2, problems: [] });
    expect((await state(t, [first.id, second.id])).items).toEqual(['rejected', 'rejected']);

    const unknownBlock = await t.run((deps) =>
      importBankReturns(deps, { fileName: 'other.xml', bytes: bytes(pain002(batch.messageId, { block: { id: `${batch.messageId}-9`, status: 'RJCT', reason: 'AM04' } })) }),
    );
    expect(unknownBlock.report.problems).toEqual([expect.objectContaining({ message: expect.stringContaining(`Lot ${batch.messageId}-9 absent du fichier`) })]);
  });
});

describe('a debit already answered', () => {
  it('is not rejected a second time by another file: the first rejection holds, the second is a problem', async () => {
    const { t, first, second } = await sentBatch();
    await t.run((deps) => importBankReturns(deps, { fileName: 'a.csv', bytes: csv(`${first.endToEndId};rejected;AM04;;2026-04-08`) }));
    const again = await t.run((deps) => importBankReturns(deps, { fileName: 'b.csv', bytes: csv(`${first.endToEndId};rejected;AC04;;2026-04-09`, `${second.endToEndId};rejected;AC04;;2026-04-09`) }));
    expect(again.report).toMatchObject({ rejected: 1 });
    expect(again.report.problems).toEqual([{ at: 'lignes.1', message: `${first.endToEndId} : déjà rejeté par un autre fichier de retours, ce rejet n’est pas appliqué une seconde fois` }]);
    const payments = (await state(t, [first.id])).payments.filter((p) => p.scheduleItemId === first.id);
    expect(payments).toEqual([expect.objectContaining({ reasonCode: 'AM04', rTransaction: 'reject' })]);
  });

  it('a return after payment reopens the amount and is stored as a return; MD06 as a refund', async () => {
    const { t, first, second } = await sentBatch();
    await t.run((deps) => importBankReturns(deps, { fileName: 'paid.csv', bytes: csv(`${first.endToEndId};settled;;;2026-04-09`, `${second.endToEndId};settled;;;2026-04-09`) }));
    const report = await t.run((deps) =>
      importBankReturns(deps, { fileName: 'returns.csv', bytes: csv(`${first.endToEndId};rejected;AC04;;2026-04-20`, `${second.endToEndId};rejected;MD06;;2026-05-02`) }),
    );
    expect(report.report).toMatchObject({ rejected: 2, problems: [] });
    const after = await state(t, [first.id, second.id]);
    expect(after.items).toEqual(['rejected', 'rejected']);
    expect(after.payments.filter((p) => p.outcome === 'rejected')).toEqual([
      expect.objectContaining({ scheduleItemId: first.id, reasonCode: 'AC04', reasonCategory: 'account_closed_or_blocked', rTransaction: 'return' }),
      expect.objectContaining({ scheduleItemId: second.id, reasonCode: 'MD06', reasonCategory: 'debtor_refund_or_dispute', rTransaction: 'refund' }),
    ]);
    expect((await t.outbox('payment.rejected')).map((e) => (e.payload as { rTransaction: string }).rTransaction)).toEqual(['return', 'refund']);
  });
});

describe('reason codes', () => {
  it('keeps an unknown or missing code as received, classified unknown (never MS03); ED05 is known', async () => {
    const { t, first, second, contract } = await sentBatch();
    const report = await t.run((deps) => importBankReturns(deps, { fileName: 'r.csv', bytes: csv(`${first.endToEndId};rejected;ZZ99;;`, `${second.endToEndId};rejected;;;`) }));
    expect(report.report.problems.map((p) => p.message)).toEqual([
      `Rejet de ${second.endToEndId} sans code motif`,
      expect.stringContaining('code motif ZZ99 inconnu'),
      `${second.endToEndId} : code motif (absent) inconnu, rejet enregistré avec ce code et la catégorie « motif inconnu » (pas de nouvelle présentation)`,
    ]);
    const { items: payments } = await t.run((deps) => listPayments(deps, ZListPaymentsInput.parse({ outcome: 'rejected', contractId: contract.id })));
    expect(payments.map((p) => [p.reasonCode, p.reasonCategory, p.reasonLabel]).sort()).toEqual([
      ['ZZ99', 'unknown', 'Motif inconnu (ZZ99)'],
      [null, 'unknown', 'Motif non communiqué'],
    ].sort());
    expect((await t.outbox('payment.rejected')).map((e) => (e.payload as { reasonCode: string | null }).reasonCode).sort()).toEqual(['ZZ99', null].sort());

    const other = await sentBatch();
    await other.t.run((deps) => importBankReturns(deps, { fileName: 'r.csv', bytes: csv(`${other.first.endToEndId};rejected;ED05;;`, `${other.second.endToEndId};rejected;AM04;;`) }));
    expect((await state(other.t, [])).payments.map((p) => [p.reasonCode, p.reasonCategory])).toEqual([
      ['ED05', 'technical'],
      ['AM04', 'insufficient_funds'],
    ]);
  });

  it('MS03 is unknown by default, insufficient funds when the organisation says its bank uses it so', async () => {
    const plain = await sentBatch();
    await plain.t.run((deps) => importBankReturns(deps, { fileName: 'r.csv', bytes: csv(`${plain.first.endToEndId};rejected;MS03;;`) }));
    expect((await state(plain.t, [])).payments).toEqual([expect.objectContaining({ reasonCode: 'MS03', reasonCategory: 'unknown' })]);

    const set = await sentBatch();
    await set.t.run((deps) => updateOrganisation(deps, ZUpdateOrganisationInput.parse({ sepaMs03InsufficientFunds: true })));
    await set.t.run((deps) => importBankReturns(deps, { fileName: 'r.csv', bytes: csv(`${set.first.endToEndId};rejected;MS03;;`) }));
    expect((await state(set.t, [])).payments).toEqual([expect.objectContaining({ reasonCode: 'MS03', reasonCategory: 'insufficient_funds' })]);
  });
});

describe('hostile return files', () => {
  it('change nothing and answer a field error: DTDs, entities, deep nesting, impossible dates, NUL in names', async () => {
    const { t, batch, first } = await sentBatch();
    const snapshot = () =>
      t.run(async ({ tx }) => ({
        items: await tx.scheduleItem.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
        payments: await tx.payment.count(),
        files: await tx.bankReturnFile.count(),
        outbox: await tx.outboxEvent.count(),
      }));
    const before = await snapshot();
    const doc = (body: string) => `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">${body}</Document>`;
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>${doc('<CstmrPmtStsRpt><GrpHdr><MsgId>&lol9;</MsgId></GrpHdr></CstmrPmtStsRpt>')}`;
    const hostile = [
      laughs,
      `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>${doc('<CstmrPmtStsRpt><GrpHdr><MsgId>&x;</MsgId></GrpHdr></CstmrPmtStsRpt>')}`,
      `<?xml version="1.0"?><!--${'x'.repeat(10_240)}--><!DOCTYPE d [<!ENTITY x "y">]>${doc('')}`,
      `<?xml version="1.0"?>${doc(`<![CDATA[<!DOCTYPE d [<!ENTITY x "y">]>]]>`)}`,
      `<?xml version="1.0"?>${doc(`${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`)}`,
      pain002(batch.messageId, { group: 'RJCT' }).replace('</OrgnlGrpInfAndSts>', '</OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><TxInfAndSts><OrgnlEndToEndId>X</OrgnlEndToEndId><TxSts>RJCT</TxSts><OrgnlTxRef><ReqdColltnDt>2026-02-30</ReqdColltnDt></OrgnlTxRef></TxInfAndSts></OrgnlPmtInfAndSts>'),
      `end_to_end_id;status;reason_code;amount;date\n${first.endToEndId};rejected;AM04;;0000-01-01\n`,
    ];
    for (const text of hostile) {
      const refused = await failure(t.run((deps) => importBankReturns(deps, { fileName: 'hostile.xml', bytes: bytes(text) })));
      expect(refused, text.slice(0, 80)).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { file: [expect.any(String)] } });
    }
    expect(await failure(t.run((deps) => importBankReturns(deps, { fileName: 'a\u0000b.csv', bytes: csv(`${first.endToEndId};rejected;AM04;;`) })))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { fileName: [expect.any(String)] },
    });
    expect(await snapshot()).toEqual(before);
  });
});
