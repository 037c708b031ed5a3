import { describe, expect, it } from 'vitest';
import {
  amendMandate,
  buildBatch,
  cancelBatch,
  getBatch,
  getBatchFile,
  listMandates,
  markBatchSent,
  previewBatch,
  revokeMandate,
  ZAmendMandateInput,
  ZBatchDateInput,
  ZListMandatesInput,
  type TenantDeps,
} from '../src/index.ts';
import { failure, OTHER_IBAN, paymentsTenant } from './payments-fixtures.ts';
import { validateAgainstXsd } from './sepa-xsd.ts';

// "Today" is Monday 2 March 2026 in these tests; 7 April 2026 is the Tuesday after Easter Monday.
const date = (collectionDate: string) => ZBatchDateInput.parse({ collectionDate });

async function tenantWithTwoContracts() {
  const t = await paymentsTenant();
  const first = await t.signedContract();
  await t.deliver(first.event);
  // This debtor asked for 60 days' notice: not collectable on 7 April when notified on 2 March.
  const slow = await t.signedContract({ preNotificationDays: 60 });
  await t.deliver(slow.event);
  return { t, first, slow };
}

describe('SEPA batches', () => {
  it('refuses a collection date that is not a TARGET2 business day or misses the bank cut-off', async () => {
    const { t } = await tenantWithTwoContracts();
    // Said in plain French, with the day's name and the next possible day.
    for (const [closed, why, next] of [
      ['2026-04-04', 'Samedi', 'mardi 7 avril 2026'],
      ['2026-04-06', 'Lundi de Pâques', 'mardi 7 avril 2026'],
      ['2026-05-01', 'Fête du Travail', 'lundi 4 mai 2026'],
    ]) {
      expect(await failure(t.run((deps) => previewBatch(deps, date(closed!))))).toMatchObject({
        code: 'BAD_REQUEST',
        fieldErrors: { collectionDate: [`${why}, pas de prélèvement ce jour-là ; prochain jour possible : ${next}`] },
      });
    }
    expect(await failure(t.run((deps) => buildBatch(deps, date('2026-03-02'))))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { collectionDate: ['Trop tard pour cette date : la banque doit recevoir le fichier un jour ouvré bancaire avant ; prochain jour possible : mardi 3 mars 2026'] },
    });
    // One TARGET2 business day ahead is enough for the bank (no item is due then).
    expect(await t.run((deps) => previewBatch(deps, date('2026-03-03')))).toMatchObject({ itemCount: 0, totalCents: 0 });
  });

  it('previews what is due by the date, leaving out debits whose pre-notification period has not run', async () => {
    const { t, first } = await tenantWithTwoContracts();
    const preview = await t.run((deps) => previewBatch(deps, date('2026-04-07')));
    expect(preview.items.map((i) => [i.contractId, i.dueDate, i.amountCents])).toEqual([
      [first.contract.id, '2026-04-05', 1_703],
      [first.contract.id, '2026-04-05', 2_400],
    ]);
    expect(preview).toMatchObject({ itemCount: 2, totalCents: 4_103, tooLateForPreNotification: { count: 2, totalCents: 4_103 } });
    // 14 days' notice is not met for 12 March either.
    expect(await t.run((deps) => previewBatch(deps, date('2026-03-12')))).toMatchObject({ itemCount: 0 });
  });

  it('builds a batch whose pain.008 validates against the XSD and regenerates byte-identical', async () => {
    const { t, first, slow } = await tenantWithTwoContracts();
    const batch = await t.run((deps) => buildBatch(deps, date('2026-04-07')));
    expect(batch).toMatchObject({ number: 1, messageId: 'PRLV-20260407-000001', status: 'generated', itemCount: 2, totalCents: 4_103, format: 'pain.008.001.08' });
    expect(batch.items.map((i) => [i.sequenceType, i.status])).toEqual([['FRST', 'batched'], ['FRST', 'batched']]);
    const e2e = batch.items.map((i) => i.endToEndId!);
    expect(new Set(e2e).size).toBe(2);
    expect(e2e.every((id) => /^E2E-[0-9A-F]{10}-\d{10}$/.test(id))).toBe(true);

    const file = await t.run((deps) => getBatchFile(deps, { batchId: batch.id }));
    expect(validateAgainstXsd(file.xml, 'pain.008.001.08')).toEqual({ valid: true, output: expect.any(String) });
    expect(file.xml).toContain('<MsgId>PRLV-20260407-000001</MsgId>');
    expect(file.xml).toContain('<SeqTp>FRST</SeqTp>');
    expect(file.xml).toContain('<MndtId>RUM-2026-000001</MndtId>');
    expect(file.xml).toContain(`<EndToEndId>${e2e[0]}</EndToEndId>`);
    // Regenerated later, with another clock: the same bytes.
    t.setNow(new Date('2026-03-05T16:00:00Z'));
    expect((await t.run((deps) => getBatchFile(deps, { batchId: batch.id }))).xml).toBe(file.xml);

    // Items in a batch are not taken twice.
    expect(await t.run((deps) => previewBatch(deps, date('2026-04-07')))).toMatchObject({ itemCount: 0 });

    // Sent: items submitted, the mandate's collection recorded; the next collection is RCUR.
    const sent = await t.run((deps) => markBatchSent(deps, { batchId: batch.id }));
    expect(sent.status).toBe('sent');
    expect(sent.items.every((i) => i.status === 'submitted')).toBe(true);
    expect(await failure(t.run((deps) => cancelBatch(deps, { batchId: batch.id })))).toMatchObject({ code: 'CONFLICT' });
    // Sent, its mandates' amendments cleared, the creditor renamed: the file is still the one the bank got.
    await t.run(({ tx, actor }) => tx.organisation.update({ where: { id: actor.tenantId }, data: { legalName: 'Nouveau Nom SAS' } }));
    expect((await t.run((deps) => getBatchFile(deps, { batchId: batch.id }))).xml).toBe(file.xml);
    // On 5 March the slow debtor's 60 days' notice runs out by 5 May: its three items due by then come in, as its first collection.
    const may = await t.run((deps) => buildBatch(deps, date('2026-05-05')));
    expect(may.items.filter((i) => i.contractId === first.contract.id).map((i) => i.sequenceType)).toEqual(['RCUR']);
    expect(may.items.filter((i) => i.contractId === slow.contract.id).map((i) => i.sequenceType)).toEqual(['FRST', 'FRST', 'FRST']);
    expect(may.number).toBe(2);
  });

  it('writes pain.008.001.02 when the organisation says so, and RCUR from the start without FRST', async () => {
    const { t } = await tenantWithTwoContracts();
    await t.run(({ tx, actor }) => tx.organisation.update({ where: { id: actor.tenantId }, data: { sepaFormat: 'pain.008.001.02', sepaUseFrst: false } }));
    const batch = await t.run((deps) => buildBatch(deps, date('2026-04-07')));
    expect(batch.items.map((i) => i.sequenceType)).toEqual(['RCUR', 'RCUR']);
    const file = await t.run((deps) => getBatchFile(deps, { batchId: batch.id }));
    expect(validateAgainstXsd(file.xml, 'pain.008.001.02').valid).toBe(true);
    expect(file.xml).toContain('urn:iso:std:iso:20022:tech:xsd:pain.008.001.02');
  });

  it('cancels a batch before it is sent: items planned again, EndToEndIds retired and never reused', async () => {
    const { t } = await tenantWithTwoContracts();
    const batch = await t.run((deps) => buildBatch(deps, date('2026-04-07')));
    const retired = batch.items.map((i) => i.endToEndId);
    expect(await t.run((deps) => cancelBatch(deps, { batchId: batch.id }))).toMatchObject({ status: 'cancelled' });
    const items = await t.run(({ tx }) => tx.scheduleItem.findMany({ where: { id: { in: batch.items.map((i) => i.id) } } }));
    expect(items.every((i) => i.status === 'planned' && i.endToEndId === null && i.batchId === null && i.sequenceType === null)).toBe(true);
    expect(await failure(t.run((deps) => getBatchFile(deps, { batchId: batch.id })))).toMatchObject({ code: 'CONFLICT' });
    expect(await failure(t.run((deps) => markBatchSent(deps, { batchId: batch.id })))).toMatchObject({ code: 'CONFLICT' });

    const again = await t.run((deps) => buildBatch(deps, date('2026-04-07')));
    expect(again.messageId).not.toBe(batch.messageId);
    expect(again.items.map((i) => i.endToEndId).some((id) => retired.includes(id))).toBe(false);
  });

  it('refuses to build without a valid ICS and creditor IBAN', async () => {
    const t = await paymentsTenant({ creditor: false });
    const { event } = await t.signedContract();
    await t.deliver(event);
    expect(await failure(t.run((deps) => buildBatch(deps, date('2026-04-07'))))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { sepaCreditorId: [expect.any(String)], creditorIban: [expect.any(String)] },
    });
  });

  it('carries a mandate amendment in the next collection only, and locks the mandate while its batch waits', async () => {
    const { t, first } = await tenantWithTwoContracts();
    const [mandate] = await t.run((deps) => listMandates(deps, ZListMandatesInput.parse({ clientId: first.contract.clientId }))).then((page) => page.items);
    const april = await t.run((deps) => buildBatch(deps, date('2026-04-07')));
    const amend = ZAmendMandateInput.parse({ mandateId: mandate!.id, iban: OTHER_IBAN, bic: 'COBADEFFXXX' });
    expect(await failure(t.run((deps) => amendMandate(deps, amend)))).toMatchObject({ code: 'CONFLICT' });
    await t.run((deps) => markBatchSent(deps, { batchId: april.id }));

    const amended = await t.run((deps) => amendMandate(deps, amend));
    expect(amended).toMatchObject({ iban: OTHER_IBAN, originalIban: 'FR1420041010050500013M02606', pendingAmendment: true });
    const may = await t.run((deps) => buildBatch(deps, date('2026-05-05')));
    const xml = (await t.run((deps) => getBatchFile(deps, { batchId: may.id }))).xml;
    expect(validateAgainstXsd(xml, 'pain.008.001.08').valid).toBe(true);
    expect(xml).toContain('<AmdmntInd>true</AmdmntInd>');
    expect(xml).toContain('SMNDA'); // another bank
    await t.run((deps) => markBatchSent(deps, { batchId: may.id }));
    expect((await t.run((deps) => listMandates(deps, ZListMandatesInput.parse({}))).then((page) => page.items))[0]).toMatchObject({ pendingAmendment: false, lastCollectionOn: '2026-05-05' });
    const june = await t.run((deps) => buildBatch(deps, date('2026-06-05')));
    expect((await t.run((deps) => getBatchFile(deps, { batchId: june.id }))).xml).not.toContain('<AmdmntInd>true</AmdmntInd>');

    // B2B only for companies; a RUM already used is refused on its field.
    await t.run((deps) => cancelBatch(deps, { batchId: june.id }));
    expect(await failure(t.run((deps) => amendMandate(deps, ZAmendMandateInput.parse({ mandateId: mandate!.id, scheme: 'B2B' }))))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { scheme: [expect.any(String)] },
    });
    expect(await failure(t.run((deps) => amendMandate(deps, ZAmendMandateInput.parse({ mandateId: mandate!.id, rum: 'RUM-2026-000002' }))))).toMatchObject({
      code: 'CONFLICT',
      fieldErrors: { rum: [expect.any(String)] },
    });
    expect(await t.run((deps) => amendMandate(deps, ZAmendMandateInput.parse({ mandateId: mandate!.id, rum: 'RUM-NOUVELLE-1' })))).toMatchObject({
      rum: 'RUM-NOUVELLE-1',
      originalRum: 'RUM-2026-000001',
    });
  });

  it('leaves revoked and dormant mandates out, showing dormant ones as expired', async () => {
    const { t, first, slow } = await tenantWithTwoContracts();
    const mandates = await t.run((deps) => listMandates(deps, ZListMandatesInput.parse({}))).then((page) => page.items);
    const firstMandate = mandates.find((m) => m.contractId === first.contract.id)!;
    await t.run((deps) => revokeMandate(deps, { mandateId: firstMandate.id }));
    expect(await t.run((deps) => previewBatch(deps, date('2026-04-07')))).toMatchObject({ itemCount: 0 });

    const slowMandate = mandates.find((m) => m.contractId === slow.contract.id)!;
    await t.run(({ tx }) => tx.sepaMandate.update({ where: { id: slowMandate.id }, data: { signedOn: new Date('2023-03-01T00:00:00Z') } }));
    expect((await t.run((deps) => listMandates(deps, ZListMandatesInput.parse({ status: 'expired' }))).then((page) => page.items)).map((m) => m.id)).toEqual([slowMandate.id]);
    expect(await t.run((deps) => previewBatch(deps, date('2026-06-05')))).toMatchObject({ itemCount: 0 });
    expect(await t.run(({ tx }) => tx.sepaMandate.findUniqueOrThrow({ where: { id: slowMandate.id } }))).toMatchObject({ status: 'expired' });
  });

  it('keeps batches to their tenant', async () => {
    const { t } = await tenantWithTwoContracts();
    const other = await paymentsTenant();
    const batch = await t.run((deps) => buildBatch(deps, date('2026-04-07')));
    const calls: ((deps: TenantDeps, input: { batchId: string }) => Promise<unknown>)[] = [getBatch, getBatchFile, markBatchSent, cancelBatch];
    for (const call of calls) {
      expect(await failure(other.run((deps) => call(deps, { batchId: batch.id })))).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(await other.run((deps) => previewBatch(deps, date('2026-04-07')))).toMatchObject({ itemCount: 0 });
  });
});
