import { describe, expect, it } from 'vitest';
import { buildBatch, createClient, getBatch, getBatchFile, listBatches, previewBatch, ZBatchDateInput, ZCreateClientInput, ZListBatchesInput } from '../src/index.ts';
import { failure, paymentsTenant } from './payments-fixtures.ts';
import { validateAgainstXsd } from './sepa-xsd.ts';

// Debtors whose bank is outside the EEA (EPC: their address travels with the debit), and one
// debtor whose entry the bank would refuse never blocking the others. "Today" is 2 March 2026;
// the fixture's contracts start on 10 March, first due on 5 April, collected on 7 April.

const SWISS_IBAN = 'CH9300762011623852957';
const MONACO_IBAN = 'MC5811222000010123456789030';
const date = (collectionDate: string) => ZBatchDateInput.parse({ collectionDate });

async function tenantWithForeignDebtors() {
  const t = await paymentsTenant();
  const clientAt = async (firstName: string, lastName: string, address?: Record<string, string>) =>
    (await t.run((deps) => createClient(deps, ZCreateClientInput.parse({ kind: 'person', firstName, lastName, ignoreDuplicates: true, ...(address ? { address } : {}) })))).client!;
  const zurich = await clientAt('Urs', 'Müller', { line1: 'Bahnhofstrasse 12a', postalCode: '8001', city: 'Zürich', country: 'CH' });
  const monaco = await clientAt('Grace', 'Kelly', { line1: '7 bis boulevard des Moulins', line2: 'Résidence Le Mirabeau', postalCode: '98000', city: 'Monaco', country: 'MC' });
  const nowhere = await clientAt('Hans', 'Ohneadresse');
  const contracts = {
    swiss: await t.signedContract({ clientId: zurich.id, debtorIban: SWISS_IBAN, debtorBic: 'UBSWCHZH80A' }),
    monaco: await t.signedContract({ clientId: monaco.id, debtorIban: MONACO_IBAN, debtorBic: null }),
    noAddress: await t.signedContract({ clientId: nowhere.id, debtorIban: SWISS_IBAN, debtorBic: null }),
    french: await t.signedContract(),
  };
  for (const { event } of Object.values(contracts)) await t.deliver(event);
  return { t, contracts };
}

describe('debtors outside the EEA and debits the bank would refuse', () => {
  it('writes the structured address of Swiss and Monaco debtors, leaves out the one without an address, and says why', async () => {
    const { t, contracts } = await tenantWithForeignDebtors();
    const preview = await t.run((deps) => previewBatch(deps, date('2026-04-07')));
    expect(preview.itemCount).toBe(6);
    expect(preview.excluded.map((e) => [e.contractId, e.clientName, e.reasons])).toEqual([
      [contracts.noAddress.contract.id, 'OHNEADRESSE Hans', ["Adresse du débiteur requise (ville et pays au moins) : sa banque est hors de l'EEE (CH)"]],
      [contracts.noAddress.contract.id, 'OHNEADRESSE Hans', ["Adresse du débiteur requise (ville et pays au moins) : sa banque est hors de l'EEE (CH)"]],
    ]);

    const batch = await t.run((deps) => buildBatch(deps, date('2026-04-07')));
    expect(batch).toMatchObject({ itemCount: 6, excludedCount: 2 });
    expect(batch.items.some((i) => i.contractId === contracts.noAddress.contract.id)).toBe(false);
    expect(batch.excluded).toEqual([
      expect.objectContaining({ contractId: contracts.noAddress.contract.id, status: 'planned', amountCents: 1_703, reasons: [expect.stringContaining("hors de l'EEE")] }),
      expect.objectContaining({ contractId: contracts.noAddress.contract.id, status: 'planned', amountCents: 2_400 }),
    ]);
    // Stored with the batch, shown with it later and counted in the list.
    expect((await t.run((deps) => getBatch(deps, { batchId: batch.id }))).excluded).toEqual(batch.excluded);
    expect((await t.run((deps) => listBatches(deps, ZListBatchesInput.parse({})))).items[0]).toMatchObject({ id: batch.id, excludedCount: 2 });

    const xml = (await t.run((deps) => getBatchFile(deps, { batchId: batch.id }))).xml;
    expect(validateAgainstXsd(xml, 'pain.008.001.08')).toMatchObject({ valid: true });
    expect(xml).toContain('<Dbtr><Nm>Helene Lefevre</Nm><PstlAdr><StrtNm>Bahnhofstrasse</StrtNm><BldgNb>12a</BldgNb><PstCd>8001</PstCd><TwnNm>Zurich</TwnNm><Ctry>CH</Ctry></PstlAdr></Dbtr>');
    expect(xml).toContain('<PstlAdr><StrtNm>boulevard des Moulins</StrtNm><BldgNb>7 bis</BldgNb><PstCd>98000</PstCd><TwnNm>Monaco</TwnNm><Ctry>MC</Ctry><AdrLine>Residence Le Mirabeau</AdrLine></PstlAdr>');
    // Two debits each for Zürich and Monaco; the French debtor's address is not asked for.
    expect(xml.split('<PstlAdr>')).toHaveLength(5);

    // Given an address, the debtor is collected by the next batch.
    await t.run(({ tx }) => tx.client.update({ where: { id: contracts.noAddress.contract.clientId }, data: { city: 'Genève', country: 'CH' } }));
    const next = await t.run((deps) => buildBatch(deps, date('2026-04-08')));
    expect(next).toMatchObject({ itemCount: 2, excludedCount: 0 });
    const nextXml = (await t.run((deps) => getBatchFile(deps, { batchId: next.id }))).xml;
    expect(nextXml).toContain('<PstlAdr><TwnNm>Geneve</TwnNm><Ctry>CH</Ctry></PstlAdr>');
    expect(validateAgainstXsd(nextXml, 'pain.008.001.08').valid).toBe(true);
  });

  it('pain.008.001.02: the same debtors as country and address lines, valid against its XSD', async () => {
    const { t } = await tenantWithForeignDebtors();
    await t.run(({ tx, actor }) => tx.organisation.update({ where: { id: actor.tenantId }, data: { sepaFormat: 'pain.008.001.02' } }));
    const batch = await t.run((deps) => buildBatch(deps, date('2026-04-07')));
    expect(batch).toMatchObject({ itemCount: 6, excludedCount: 2, format: 'pain.008.001.02' });
    const xml = (await t.run((deps) => getBatchFile(deps, { batchId: batch.id }))).xml;
    expect(validateAgainstXsd(xml, 'pain.008.001.02')).toMatchObject({ valid: true });
    expect(xml).toContain('<PstlAdr><Ctry>CH</Ctry><AdrLine>12a Bahnhofstrasse</AdrLine><AdrLine>8001 Zurich</AdrLine></PstlAdr>');
    expect(xml).toContain('<PstlAdr><Ctry>MC</Ctry><AdrLine>7 bis boulevard des Moulins, Residence Le Mirabeau</AdrLine><AdrLine>98000 Monaco</AdrLine></PstlAdr>');
  });

  it('leaves out an IBAN the bank would refuse and a zero amount, and refuses a batch with nothing left, saying why', async () => {
    const t = await paymentsTenant();
    const bad = await t.signedContract();
    await t.deliver(bad.event);
    // Stored before the rules got stricter, or written behind our back: the file builder refuses it.
    await t.run(({ tx }) => tx.sepaMandate.updateMany({ where: { contractId: bad.contract.id }, data: { iban: 'FR7630006000011234567890188' } }));
    await t.run(({ tx }) => tx.scheduleItem.updateMany({ where: { contractId: bad.contract.id, periodStart: new Date('2026-03-10') }, data: { amountCents: 0 } }));
    const preview = await t.run((deps) => previewBatch(deps, date('2026-04-07')));
    expect(preview.excluded.map((e) => e.reasons)).toEqual([
      [expect.stringMatching(/^Montant invalide/), 'IBAN du débiteur : IBAN invalide'],
      ['IBAN du débiteur : IBAN invalide'],
    ]);
    expect(await failure(t.run((deps) => buildBatch(deps, date('2026-04-07'))))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { collectionDate: [expect.stringMatching(/^Aucune échéance prélevable pour cette date : 2 échéances sont écartées \(LEFÈVRE Hélène, CT-2026-\d{4} : Montant invalide.*; LEFÈVRE Hélène, CT-2026-\d{4} : IBAN du débiteur : IBAN invalide\)$/)] },
    });
    const good = await t.signedContract();
    await t.deliver(good.event);
    expect(await t.run((deps) => buildBatch(deps, date('2026-04-07')))).toMatchObject({ itemCount: 2, excludedCount: 2 });
  });

  it('refuses a creditor whose bank is outside the EEA without its address, on the settings field', async () => {
    const t = await paymentsTenant();
    const { event } = await t.signedContract();
    await t.deliver(event);
    await t.run(({ tx, actor }) => tx.organisation.update({ where: { id: actor.tenantId }, data: { creditorIban: MONACO_IBAN, creditorBic: null } }));
    expect(await failure(t.run((deps) => buildBatch(deps, date('2026-04-07'))))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { address: [expect.stringContaining("hors de l'EEE")] } });
    await t.run(({ tx, actor }) => tx.organisation.update({ where: { id: actor.tenantId }, data: { addressLine1: '2 avenue de Monte-Carlo', postalCode: '98000', city: 'Monaco', country: 'MC' } }));
    const batch = await t.run((deps) => buildBatch(deps, date('2026-04-07')));
    const xml = (await t.run((deps) => getBatchFile(deps, { batchId: batch.id }))).xml;
    expect(xml).toContain('<Cdtr><Nm>Societe Test SAS</Nm><PstlAdr><StrtNm>avenue de Monte-Carlo</StrtNm><BldgNb>2</BldgNb><PstCd>98000</PstCd><TwnNm>Monaco</TwnNm><Ctry>MC</Ctry></PstlAdr></Cdtr>');
    expect(validateAgainstXsd(xml, 'pain.008.001.08').valid).toBe(true);
  });
});
