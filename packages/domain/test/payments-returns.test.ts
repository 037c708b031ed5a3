import { describe, expect, it } from 'vitest';
import {
  buildBatch,
  getClientTimeline,
  importBankReturns,
  listPayments,
  listScheduleItems,
  markBatchSent,
  recordManualPayment,
  settleUnansweredDebits,
  ZBatchDateInput,
  ZClientTimelineInput,
  ZListPaymentsInput,
  ZListScheduleItemsInput,
  ZRecordManualPaymentInput,
} from '../src/index.ts';
import { failure, paymentsTenant } from './payments-fixtures.ts';

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

const pain002 = (originalMsgId: string, endToEndId: string, reason: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>BANK-STS-0001</MsgId><CreDtTm>2026-04-08T08:00:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts><OrgnlMsgId>${originalMsgId}</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>${originalMsgId}-1</OrgnlPmtInfId>
      <TxInfAndSts>
        <OrgnlEndToEndId>${endToEndId}</OrgnlEndToEndId>
        <TxSts>RJCT</TxSts>
        <StsRsnInf><Rsn><Cd>${reason}</Cd></Rsn></StsRsnInf>
        <OrgnlTxRef><Amt><InstdAmt Ccy="EUR">17.03</InstdAmt></Amt><ReqdColltnDt>2026-04-07</ReqdColltnDt></OrgnlTxRef>
      </TxInfAndSts>
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>
`;

describe('bank returns and payments', () => {
  it('a pain.002 rejection (AM04) makes the item rejected, a Payment and payment.rejected with the reason', async () => {
    const { t, batch, first, contract } = await sentBatch();
    const report = await t.run((deps) => importBankReturns(deps, { fileName: 'pain002.xml', bytes: bytes(pain002(batch.messageId, first.endToEndId!, 'AM04')) }));
    expect(report).toMatchObject({ duplicate: false, kind: 'pain.002.001.03', matched: 1, report: { rejected: 1, settled: 0, unmatched: [] } });
    const rejected = (await t.run((deps) => listPayments(deps, ZListPaymentsInput.parse({ outcome: 'rejected', reasonCode: 'AM04' })))).items;
    expect(rejected).toEqual([expect.objectContaining({ scheduleItemId: first.id, amountCents: 1_703, method: 'sepa_debit', reasonCode: 'AM04', valueDate: '2026-04-07', returnFileId: report.id })]);
    const events = await t.outbox('payment.rejected');
    expect(events.map((e) => e.payload)).toEqual([
      {
        paymentId: rejected[0]!.id,
        clientId: contract.clientId,
        contractId: contract.id,
        amountCents: 1_703,
        reasonCode: 'AM04',
        reasonCategory: 'insufficient_funds',
        rTransaction: 'reject',
        rejectedOn: '2026-04-07',
        attempt: 1,
      },
    ]);
    expect((await t.run((deps) => listScheduleItems(deps, ZListScheduleItemsInput.parse({ status: 'rejected', reasonCode: 'AM04' })))).items).toEqual([
      expect.objectContaining({ id: first.id, status: 'rejected', reasonCode: 'AM04' }),
    ]);
    // The client's timeline tells the story: created, contract signed, debit rejected.
    const timeline = await t.run((deps) => getClientTimeline(deps, ZClientTimelineInput.parse({ clientId: contract.clientId })));
    expect(timeline.items.filter((e) => e.kind === 'event').map((e) => [e.title, e.detail])).toEqual(
      expect.arrayContaining([
        ['Prélèvement rejeté', '17,03\u00a0€ le 07/04/2026, Provision insuffisante (AM04)'],
        ['Contrat signé', null],
      ]),
    );
  });

  it('a CSV settles and rejects (an unknown code kept, classified unknown), reports unmatched lines, and the same file again changes nothing', async () => {
    const { t, first, second } = await sentBatch();
    const csv = [
      'end_to_end_id;status;reason_code;amount;date',
      `${first.endToEndId};settled;;17,03;2026-04-09`,
      `${second.endToEndId};rejected;ZZ99;24,00;2026-04-09`,
      'E2E-UNKNOWN-0000000001;rejected;AM04;10,00;2026-04-09',
    ].join('\n');
    const report = await t.run((deps) => importBankReturns(deps, { fileName: 'retours.csv', bytes: bytes(csv) }));
    expect(report).toMatchObject({ duplicate: false, kind: 'csv', matched: 2, report: { settled: 1, rejected: 1 } });
    expect(report.report.unmatched).toEqual([expect.objectContaining({ endToEndId: 'E2E-UNKNOWN-0000000001' })]);
    expect(report.report.problems).toEqual([expect.objectContaining({ message: expect.stringContaining('ZZ99') })]);
    // An unknown reason is still a rejection (kept as received, category unknown), never left to settle as paid.
    expect((await t.outbox('payment.rejected')).map((e) => e.payload)).toEqual([expect.objectContaining({ reasonCode: 'ZZ99', reasonCategory: 'unknown', amountCents: 2_400 })]);
    const received = await t.outbox('payment.received');
    expect(received.map((e) => e.payload)).toEqual([expect.objectContaining({ amountCents: 1_703, receivedOn: '2026-04-09', method: 'sepa_debit' })]);
    const statuses = await t.run(({ tx }) => tx.scheduleItem.findMany({ where: { id: { in: [first.id, second.id] } }, orderBy: { endToEndId: 'asc' } }));
    expect(statuses.map((s) => s.status)).toEqual(['paid', 'rejected']);

    const again = await t.run((deps) => importBankReturns(deps, { fileName: 'retours-copie.csv', bytes: bytes(csv) }));
    expect(again).toMatchObject({ duplicate: true, id: report.id, fileName: 'retours.csv', matched: 2 });
    expect(await t.run(({ tx }) => tx.payment.count())).toBe(2);
    expect(await t.outbox('payment.received')).toHaveLength(1);
    expect(await t.run(({ tx }) => tx.bankReturnFile.count())).toBe(1);
  });

  it("another tenant's return file matches nothing of ours", async () => {
    const { t, first, second } = await sentBatch();
    const other = await sentBatch();
    // The other tenant's counters give the same numbers: only the tenant part of the EndToEndId differs.
    expect(other.first.endToEndId!.slice(-10)).toBe(first.endToEndId!.slice(-10));
    const csv = `end_to_end_id;status;reason_code\n${first.endToEndId};rejected;AM04\n${second.endToEndId};settled;\n`;
    const report = await other.t.run((deps) => importBankReturns(deps, { fileName: 'a.csv', bytes: bytes(csv) }));
    expect(report).toMatchObject({ matched: 0, report: { rejected: 0, settled: 0 } });
    expect(report.report.unmatched).toHaveLength(2);
    expect(await other.t.run(({ tx }) => tx.payment.count())).toBe(0);
    expect(await t.run(({ tx }) => tx.scheduleItem.count({ where: { status: 'submitted' } }))).toBe(2);
  });

  it('counts a debit without rejection N TARGET2 business days after collection as paid', async () => {
    const { t, first, second } = await sentBatch();
    // 7 April + 5 TARGET2 business days = 14 April: not yet on the 13th.
    t.setNow(new Date('2026-04-13T09:00:00Z'));
    expect(await t.run((deps) => settleUnansweredDebits(deps))).toEqual({ settled: 0 });
    t.setNow(new Date('2026-04-14T09:00:00Z'));
    expect(await t.run((deps) => settleUnansweredDebits(deps))).toEqual({ settled: 2 });
    expect(await t.run((deps) => settleUnansweredDebits(deps))).toEqual({ settled: 0 });
    const payments = (await t.run((deps) => listPayments(deps, ZListPaymentsInput.parse({ outcome: 'received' })))).items;
    expect(payments.map((p) => [p.scheduleItemId, p.valueDate]).sort()).toEqual([[first.id, '2026-04-07'], [second.id, '2026-04-07']].sort());
    expect(await t.outbox('payment.received')).toHaveLength(2);

    // A return after that (R-transaction) still turns the debit into a rejection.
    const csv = `end_to_end_id;status;reason_code;amount;date\n${first.endToEndId};rejected;MD06;17,03;2026-05-02\n`;
    const report = await t.run((deps) => importBankReturns(deps, { fileName: 'retour.csv', bytes: bytes(csv) }));
    expect(report.report).toMatchObject({ rejected: 1 });
    expect(await t.outbox('payment.rejected')).toHaveLength(1);
  });

  it('records a manual payment against a planned item, refusing one the bank holds or another tenant’s', async () => {
    const { t, contract, first } = await sentBatch();
    const planned = await t.run(({ tx }) => tx.scheduleItem.findFirstOrThrow({ where: { contractId: contract.id, status: 'planned' }, orderBy: { periodStart: 'asc' } }));
    const input = ZRecordManualPaymentInput.parse({ scheduleItemId: planned.id, method: 'cheque', receivedOn: '2026-03-02', reference: 'Chèque 0012345' });
    const payment = await t.run((deps) => recordManualPayment(deps, input));
    expect(payment).toMatchObject({ outcome: 'received', method: 'cheque', amountCents: 2_400, reference: 'Chèque 0012345', valueDate: '2026-03-02' });
    expect(await t.run(({ tx }) => tx.scheduleItem.findUniqueOrThrow({ where: { id: planned.id } }))).toMatchObject({ status: 'paid' });
    expect((await t.outbox('payment.received')).map((e) => e.payload)).toEqual([expect.objectContaining({ paymentId: payment.id, method: 'cheque', receivedOn: '2026-03-02' })]);

    expect(await failure(t.run((deps) => recordManualPayment(deps, input)))).toMatchObject({ code: 'CONFLICT' });
    expect(await failure(t.run((deps) => recordManualPayment(deps, { ...input, scheduleItemId: first.id })))).toMatchObject({ code: 'CONFLICT' });
    const future = await t.run(({ tx }) => tx.scheduleItem.findFirstOrThrow({ where: { contractId: contract.id, status: 'planned' } }));
    expect(await failure(t.run((deps) => recordManualPayment(deps, { ...input, scheduleItemId: future.id, receivedOn: '2026-03-03' })))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { receivedOn: [expect.any(String)] },
    });
    const other = await paymentsTenant();
    expect(await failure(other.run((deps) => recordManualPayment(deps, { ...input, scheduleItemId: future.id })))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a file that is not a bank return, with a French message', async () => {
    const { t } = await sentBatch();
    expect(await failure(t.run((deps) => importBankReturns(deps, { fileName: 'x.txt', bytes: bytes('bonjour;monde\n1;2\n') })))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { file: [expect.any(String)] },
    });
    expect(await t.run(({ tx }) => tx.bankReturnFile.count())).toBe(0);
  });
});
