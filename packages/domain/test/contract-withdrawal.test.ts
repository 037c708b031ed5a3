import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { Prisma } from '@crm/db';
import {
  amendMandate,
  contractPdf,
  createContractSchedule,
  getContract,
  LocalDiskStorage,
  mandatePdf,
  renderContractPdf,
  revokeMandate,
  sendContract,
  sha256Hex,
  signContract,
  verifySignedContract,
  withdrawalDeadline,
  withdrawContract,
  ZAmendMandateInput,
  ZSignContractInput,
  type DomainError,
} from '../src/index.ts';
import { contractPdfData } from '../src/contracts/contract-documents.ts';
import { loadContract } from '../src/contracts/contract-view.ts';
import { contractTenant } from './contract-fixtures.ts';
import { pdfPages, pdfText } from './pdf-text.ts';

const storage = LocalDiskStorage.temporary('crm-withdrawal-test');
afterAll(() => rm(storage.root, { recursive: true, force: true }));

/** Noon in Paris on that day. */
const parisNoon = (iso: string) => new Date(`${iso}T11:00:00Z`);
const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a failure'); }, (error: unknown) => error as DomainError);

describe('the withdrawal deadline (Code de la consommation L221-18, L221-19)', () => {
  it('ends 14 days after the day of signature, or on the next working day after a weekend or a public holiday', () => {
    const cases: [signedOn: string, fourteenth: string, deadline: string][] = [
      ['2026-03-10', 'Tuesday', '2026-03-24'],
      ['2026-11-28', 'Saturday 12 December', '2026-12-14'],
      ['2026-11-29', 'Sunday 13 December', '2026-12-14'],
      ['2026-06-30', 'Tuesday 14 July, Fête nationale', '2026-07-15'],
      ['2026-04-17', 'Friday 1 May, then the weekend', '2026-05-04'],
      ['2026-12-11', 'Friday 25 December, then the weekend', '2026-12-28'],
      ['2026-03-22', 'Easter Sunday, then Easter Monday', '2026-04-07'],
      ['2026-05-09', 'Saturday, then Whit Monday', '2026-05-26'],
      ['2027-04-30', 'Friday 14 May 2027, the day after Ascension: a working day', '2027-05-14'],
    ];
    for (const [signedOn, fourteenth, deadline] of cases) expect(withdrawalDeadline(signedOn), `${signedOn}: ${fourteenth}`).toBe(deadline);
  });

  it('lets a consumer withdraw on the extended deadline, not the day after; the contract shows it', async () => {
    const t = await contractTenant(storage);
    const signedAt = parisNoon('2026-04-17');
    const a = await t.sentContract(signedAt);
    await t.sign(a.id, { now: signedAt });
    expect((await t.run((deps) => getContract(deps, { contractId: a.id }))).withdrawalDeadline).toBe('2026-05-04');
    // Monday 4 May, 23:30 in Paris: the 14th day was Friday 1 May, a holiday, then a weekend.
    expect(await t.run((deps) => withdrawContract(deps, { contractId: a.id }), new Date('2026-05-04T21:30:00Z'))).toMatchObject({ status: 'cancelled', withdrawn: true });

    const b = await t.sentContract(signedAt);
    await t.sign(b.id, { now: signedAt });
    expect(await failure(t.run((deps) => withdrawContract(deps, { contractId: b.id }), new Date('2026-05-04T22:30:00Z')))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining("signé le 17/04/2026, rétractation possible jusqu'au 04/05/2026 inclus"),
    });
  });

  it('is shown only for a consumer contract once signed', async () => {
    const t = await contractTenant(storage);
    const sent = await t.sentContract();
    expect(sent.withdrawalDeadline).toBeNull();
    const company = await t.company();
    const p = await t.product('PRO', 100);
    const pro = await t.create({ clientId: company.id, consumer: false, lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'transfer' });
    expect(pro.withdrawalDeadline).toBeNull();
  });
});

describe('the contract PDF of a consumer', () => {
  it('says how the period runs and ends with the model withdrawal form, on its own page', async () => {
    const t = await contractTenant(storage, 'Énergies Douces');
    await t.run(({ tx, actor }) =>
      tx.organisation.update({ where: { id: actor.tenantId }, data: { legalName: 'Énergies Douces SAS', addressLine1: '3 place Bellecour', postalCode: '69002', city: 'Lyon', contactEmail: 'retractation@energies-douces.fr' } }),
    );
    const sent = await t.sentContract();
    const pages = await pdfPages((await t.run((deps) => contractPdf(deps, { contractId: sent.id }))).bytes);
    const body = pages.slice(0, -1).flat().join(' ');
    expect(body).toContain(
      'Le délai de rétractation expire quatorze jours après le jour de la conclusion du contrat ; s’il expire un samedi, un dimanche ou un jour férié ou chômé, il est prorogé jusqu’au premier jour ouvrable suivant.',
    );
    expect(pages.at(-1)!.join(' ')).toBe(
      [
        'Formulaire de rétractation',
        '(Veuillez compléter et renvoyer le présent formulaire uniquement si vous souhaitez vous rétracter du contrat.)',
        'À l’attention de Énergies Douces SAS, 3 place Bellecour, 69002 Lyon, retractation@energies-douces.fr :',
        'Je/nous (*) vous notifie/notifions (*) par la présente ma/notre (*) rétractation du contrat portant sur la vente du bien (*)/pour la prestation de services (*) ci-dessous :',
        `Contrat n° ${sent.number}`,
        'Commandé le (*)/reçu le (*) :',
        'Nom du (des) consommateur(s) :',
        'Adresse du (des) consommateur(s) :',
        'Signature du (des) consommateur(s) (uniquement en cas de notification du présent formulaire sur papier) :',
        'Date :',
        '(*) Rayez la mention inutile.',
      ].join(' '),
    );
    // Signed: the stored bytes are those presented, form included, and they verify.
    await t.sign(sent.id);
    const signed = await t.run((deps) => contractPdf(deps, { contractId: sent.id }));
    expect((await pdfPages(signed.bytes)).at(-1)![0]).toBe('Formulaire de rétractation');
    expect(await t.run((deps) => verifySignedContract(deps, { contractId: sent.id }))).toMatchObject({ valid: true });
  });

  it('has no withdrawal form for a professional', async () => {
    const t = await contractTenant(storage);
    const company = await t.company();
    const p = await t.product('PRO', 100);
    const pro = await t.create({ clientId: company.id, consumer: false, lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'transfer' });
    const text = await pdfText((await t.run((deps) => contractPdf(deps, { contractId: pro.id }))).bytes);
    expect(text).toContain('agissant en qualité de professionnel');
    expect(text).not.toContain('rétractation');
  });

  it('a contract signed on the earlier layout is regenerated on it and still verifies', async () => {
    const t = await contractTenant(storage);
    const sent = await t.sentContract();
    await t.sign(sent.id);
    // As a signature before the form existed left it: layout 1, its sha256, no stored document, no snapshot.
    const earlier = await t.run(async (deps) => renderContractPdf({ ...(await contractPdfData(deps, await loadContract(deps, sent.id))), layout: 1 }));
    await t.run(async ({ tx }) => {
      await tx.document.deleteMany({ where: { contractId: sent.id } });
      await tx.contract.update({ where: { id: sent.id }, data: { documentLayout: 1, signedDocumentSha256: sha256Hex(earlier), signatureSnapshot: Prisma.DbNull } });
    });
    expect(await t.run((deps) => verifySignedContract(deps, { contractId: sent.id }))).toMatchObject({ valid: true });
    const regenerated = await t.run((deps) => contractPdf(deps, { contractId: sent.id }));
    expect(Buffer.from(regenerated.bytes).equals(Buffer.from(earlier))).toBe(true);
    expect(await pdfText(regenerated.bytes)).not.toContain('Formulaire de rétractation');
  });
});

describe('the SEPA mandate PDF follows the data', () => {
  it('prints where it was signed, and "ponctuel" for a one-off contract', async () => {
    const t = await contractTenant(storage);
    const client = await t.person('Martin', 'Anne');
    const p = await t.product('ONCE', 9_900, 'NORMAL', '2026-01-01', 'one_off');
    const once = await t.create({ clientId: client.id, lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 1, billingFrequency: 'one_off', paymentMethod: 'sepa_debit', debtorIban: 'FR76 3000 6000 0112 3456 7890 189' });
    await t.run((deps) => sendContract(deps, { contractId: once.id }));
    await t.sign(once.id, { signerName: 'Anne Martin', signedPlace: 'Annecy' });
    expect((await t.run((deps) => getContract(deps, { contractId: once.id }))).signedPlace).toBe('Annecy');
    const mandateText = async (contractId: string) => pdfText((await t.run((deps) => mandatePdf(deps, { contractId }))).bytes);
    expect(await mandateText(once.id)).toContain('type de paiement : ponctuel');
    expect(await mandateText(once.id)).toContain('Lieu : Annecy');
    // The worker's mandate takes the same place, and the PDF then reads the mandate.
    await t.run(({ tx, actor }) => createContractSchedule(tx, actor.tenantId, once.id));
    expect(await t.run(({ tx }) => tx.sepaMandate.findFirstOrThrow({ where: { contractId: once.id }, select: { signedPlace: true, recurrent: true } }))).toEqual({ signedPlace: 'Annecy', recurrent: false });
    expect(await mandateText(once.id)).toMatch(/type de paiement : ponctuel.*Lieu : Annecy/);

    const monthly = await t.sentContract();
    await t.sign(monthly.id, { signedPlace: 'Chambéry' });
    expect(await mandateText(monthly.id)).toMatch(/type de paiement : récurrent.*Lieu : Chambéry/);
  });

  it('prints the account, debtor and RUM of the mandate as amended, and says when it was revoked', async () => {
    const t = await contractTenant(storage);
    const sent = await t.sentContract();
    await t.sign(sent.id);
    await t.run(({ tx, actor }) => createContractSchedule(tx, actor.tenantId, sent.id));
    const mandate = await t.run(({ tx }) => tx.sepaMandate.findFirstOrThrow({ where: { contractId: sent.id } }));
    await t.run((deps) => amendMandate(deps, ZAmendMandateInput.parse({ mandateId: mandate.id, iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', debtorName: 'Jean et Marie Dupont', rum: 'RUM-NOUVELLE-7' })));
    const text = await pdfText((await t.run((deps) => mandatePdf(deps, { contractId: sent.id }))).bytes);
    expect(text).toContain('Référence unique du mandat (RUM) : RUM-NOUVELLE-7');
    expect(text).toContain('Nom : Jean et Marie Dupont');
    expect(text).toContain('IBAN : DE89 3704 0044 0532 0130 00');
    expect(text).toContain('BIC : COBADEFFXXX');
    expect(text).not.toContain('FR76 3000');
    await t.run((deps) => revokeMandate(deps, { mandateId: mandate.id }), new Date('2026-06-15T10:00:00Z'));
    expect(await pdfText((await t.run((deps) => mandatePdf(deps, { contractId: sent.id }))).bytes)).toContain('Mandat révoqué le 15/06/2026 : il ne permet plus aucun prélèvement.');
  });

  it('refuses to sign a direct debit with no place of signature to print', async () => {
    const t = await contractTenant(storage);
    const sent = await t.sentContract();
    const refused = await failure(t.run((deps) => signContract(deps, ZSignContractInput.parse({ contractId: sent.id, signerName: 'Jean Dupont', consent: true }), {})));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { signedPlace: [expect.stringContaining('Lieu de signature requis')] } });
    // The client's city when nothing is typed.
    await t.run(({ tx }) => tx.client.update({ where: { id: sent.client.id }, data: { city: 'Grenoble' } }));
    expect(await t.run((deps) => signContract(deps, ZSignContractInput.parse({ contractId: sent.id, signerName: 'Jean Dupont', consent: true }), {}))).toMatchObject({ signedPlace: 'Grenoble' });
  });
});
