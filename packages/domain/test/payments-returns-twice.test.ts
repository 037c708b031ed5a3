import { describe, expect, it } from 'vitest';
import { buildBatch, importBankReturns, markBatchSent, ZBatchDateInput } from '../src/index.ts';
import { paymentsTenant } from './payments-fixtures.ts';

// A debit is rejected once. Whatever says it again — another return file of any format (CSV,
// pain.002 .03 or .10 naming the debit, a pain.002 rejecting the whole file or its block, a
// camt.054 return), a later line of the same file, the same file again, or another file imported
// at the same moment — the first rejection holds: one rejected payment, one payment.rejected
// event, and the second is reported (a problem, or a duplicate file), never applied.

const bytes = (text: string) => new TextEncoder().encode(text);
let sequence = 0;
const unique = () => `${Date.now().toString(36)}${(sequence++).toString(36)}`;

/** A tenant with one sent batch of two debits (1 703 and 2 400 cents) collected on 7 April 2026. */
async function sentBatch() {
  const t = await paymentsTenant();
  const { event } = await t.signedContract();
  await t.deliver(event);
  const batch = await t.run((deps) => buildBatch(deps, ZBatchDateInput.parse({ collectionDate: '2026-04-07' })));
  await t.run((deps) => markBatchSent(deps, { batchId: batch.id }));
  const [first, second] = batch.items;
  return { t, batch, first: first!, second: second! };
}

const csv = (...rows: string[]) => bytes(['end_to_end_id;status;reason_code;amount;date', ...rows].join('\n'));

const pain002Line = (version: '03' | '10', originalMsgId: string, endToEndId: string, reason: string) =>
  bytes(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.${version}"><CstmrPmtStsRpt>
  <GrpHdr><MsgId>STS-${unique()}</MsgId><CreDtTm>2026-04-08T08:00:00</CreDtTm></GrpHdr>
  <OrgnlGrpInfAndSts><OrgnlMsgId>${originalMsgId}</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
  <OrgnlPmtInfAndSts><OrgnlPmtInfId>${originalMsgId}-1</OrgnlPmtInfId>
    <TxInfAndSts><OrgnlEndToEndId>${endToEndId}</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>${reason}</Cd></Rsn></StsRsnInf></TxInfAndSts>
  </OrgnlPmtInfAndSts>
</CstmrPmtStsRpt></Document>`);

const pain002Whole = (originalMsgId: string, what: 'group' | 'block') =>
  bytes(`<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
  <GrpHdr><MsgId>STS-${unique()}</MsgId><CreDtTm>2026-04-08T08:00:00</CreDtTm></GrpHdr>
  <OrgnlGrpInfAndSts><OrgnlMsgId>${originalMsgId}</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId>${what === 'group' ? '<GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>FF01</Cd></Rsn></StsRsnInf>' : ''}</OrgnlGrpInfAndSts>
  ${what === 'block' ? `<OrgnlPmtInfAndSts><OrgnlPmtInfId>${originalMsgId}-1</OrgnlPmtInfId><PmtInfSts>RJCT</PmtInfSts><StsRsnInf><Rsn><Cd>AM04</Cd></Rsn></StsRsnInf></OrgnlPmtInfAndSts>` : ''}
</CstmrPmtStsRpt></Document>`);

const camt054Return = (endToEndId: string, cents: number) => {
  const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return bytes(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>
  <GrpHdr><MsgId>N054-${unique()}</MsgId><CreDtTm>2026-04-20T05:30:00+01:00</CreDtTm></GrpHdr>
  <Ntfctn><Id>1</Id><Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-04-20</Dt></BookgDt>
    <NtryDtls><TxDtls><Refs><EndToEndId>${endToEndId}</EndToEndId></Refs><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf></TxDtls></NtryDtls>
  </Ntry></Ntfctn>
</BkToCstmrDbtCdtNtfctn></Document>`);
};

/** The rejections of one schedule item: payments and payment.rejected events. */
async function rejectionsOf(t: Awaited<ReturnType<typeof sentBatch>>['t'], itemId: string) {
  const payments = await t.run(({ tx }) => tx.payment.findMany({ where: { scheduleItemId: itemId, outcome: 'rejected' }, select: { id: true, reasonCode: true } }));
  const ids = new Set(payments.map((p) => p.id));
  const events = (await t.outbox('payment.rejected')).filter((e) => ids.has((e.payload as { paymentId: string }).paymentId));
  const item = await t.run(({ tx }) => tx.scheduleItem.findUniqueOrThrow({ where: { id: itemId }, select: { status: true } }));
  return { status: item.status, payments: payments.map((p) => p.reasonCode), events: events.length };
}

describe('a debit already rejected', () => {
  it('is not rejected again by another return file of any kind naming it, line, block or whole file; each says so', async () => {
    const { t, batch, first } = await sentBatch();
    await t.run((deps) => importBankReturns(deps, { fileName: 'a.csv', bytes: csv(`${first.endToEndId};rejected;AM04;;2026-04-08`) }));
    const once = { status: 'rejected', payments: ['AM04'], events: 1 };
    expect(await rejectionsOf(t, first.id)).toEqual(once);

    const again = {
      'CSV, another code': csv(`${first.endToEndId};rejected;AC04;17,03;2026-04-09`),
      'pain.002.001.03 naming it': pain002Line('03', batch.messageId, first.endToEndId!, 'MS02'),
      'pain.002.001.10 naming it': pain002Line('10', batch.messageId, first.endToEndId!, 'AM04'),
      'camt.054 return (AC04)': camt054Return(first.endToEndId!, 1_703),
      'pain.002 rejecting its block': pain002Whole(batch.messageId, 'block'),
      'pain.002 rejecting the whole file': pain002Whole(batch.messageId, 'group'),
    };
    for (const [what, file] of Object.entries(again)) {
      const report = await t.run((deps) => importBankReturns(deps, { fileName: 'b.xml', bytes: file }));
      expect(report.duplicate, what).toBe(false);
      expect(report.report.problems, what).toContainEqual({
        at: expect.any(String),
        message: `${first.endToEndId} : déjà rejeté par un autre fichier de retours, ce rejet n’est pas appliqué une seconde fois`,
      });
      expect(await rejectionsOf(t, first.id), what).toEqual(once);
    }
  });

  it('is rejected once when the same file names it twice: the second line is reported', async () => {
    const { t, first } = await sentBatch();
    const report = await t.run((deps) =>
      importBankReturns(deps, { fileName: 'twice.csv', bytes: csv(`${first.endToEndId};rejected;AM04;;2026-04-08`, `${first.endToEndId};rejected;AC04;;2026-04-09`) }),
    );
    expect(report.report).toMatchObject({ rejected: 1, matched: 1 });
    expect(report.report.problems).toEqual([
      { at: 'lignes.2', message: `${first.endToEndId} : déjà rejeté plus haut dans ce fichier, ce rejet n’est pas appliqué une seconde fois` },
    ]);
    expect(await rejectionsOf(t, first.id)).toEqual({ status: 'rejected', payments: ['AM04'], events: 1 });
  });

  it('is rejected once when the same file comes again: a duplicate, nothing changes', async () => {
    const { t, batch, first } = await sentBatch();
    const file = pain002Line('10', batch.messageId, first.endToEndId!, 'AM04');
    const report = await t.run((deps) => importBankReturns(deps, { fileName: 'pain002.xml', bytes: file }));
    const copy = await t.run((deps) => importBankReturns(deps, { fileName: 'pain002-copie.xml', bytes: file }));
    expect(copy).toMatchObject({ duplicate: true, id: report.id, fileName: 'pain002.xml' });
    expect(await rejectionsOf(t, first.id)).toEqual({ status: 'rejected', payments: ['AM04'], events: 1 });
    expect(await t.run(({ tx }) => tx.bankReturnFile.count())).toBe(1);
  });

  it('is rejected once when two files naming it are imported at the same time: the later one reports it', async () => {
    const { t, batch, first } = await sentBatch();
    const [a, b] = await Promise.all([
      t.run((deps) => importBankReturns(deps, { fileName: 'a.csv', bytes: csv(`${first.endToEndId};rejected;AM04;;2026-04-08`) })),
      t.run((deps) => importBankReturns(deps, { fileName: 'b.xml', bytes: pain002Line('10', batch.messageId, first.endToEndId!, 'AC04') })),
    ]);
    expect([a.report.rejected, b.report.rejected].sort()).toEqual([0, 1]);
    const later = a.report.rejected === 0 ? a : b;
    expect(later.report.problems).toContainEqual({ at: expect.any(String), message: expect.stringContaining(`${first.endToEndId} : déjà rejeté par un autre fichier de retours`) });
    const once = await rejectionsOf(t, first.id);
    expect(once).toMatchObject({ status: 'rejected', events: 1 });
    expect(once.payments).toHaveLength(1);
  });
});
