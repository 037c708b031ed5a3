import { rm } from 'node:fs/promises';
import { withTenant } from '@crm/db';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cancelContract,
  createClient,
  fromSnapshotJson,
  getContract,
  getSigningPage,
  LocalDiskStorage,
  notifyOnEvent,
  resendSigningLink,
  sendContract,
  signByLink,
  signContract,
  SIGNING_LINK_TTL_DAYS,
  ZCreateContractInput,
  ZSignByLinkInput,
  ZSignContractInput,
  createContract,
  confirmPassword,
  legalNameWithForm,
  mandatePdf,
  verifyAccessToken,
  type DomainError,
} from '../src/index.ts';
import { pdfText } from './pdf-text.ts';
import { contractTenant, EVIDENCE, IBAN } from './contract-fixtures.ts';
import { TEST_APP_URL, testAuthDeps, uniqueEmail, uniqueIp, newTenant } from './harness.ts';

const storage = LocalDiskStorage.temporary('crm-contract-signing-test');
afterAll(() => rm(storage.root, { recursive: true, force: true }));

const SENT_AT = new Date('2026-03-02T09:00:00Z');
const SIGNED_AT = new Date('2026-03-04T17:30:00Z');
const LINKS = { appUrl: TEST_APP_URL };
const GONE = 'Ce lien de signature est invalide, expiré ou a déjà servi. Demandez-en un nouveau à votre conseiller.';

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a failure');
};

/** The contract fixtures plus a client with an address, a contract sent to them by mail, and the public side. */
async function tenant(name?: string) {
  const t = await contractTenant(storage, name);
  const clientWithMail = async (input: Record<string, unknown> = { kind: 'person', firstName: 'Élodie', lastName: 'Lefèvre-Dubois', city: 'Annecy' }) =>
    (await t.run((deps) => createClient(deps, { ...input, email: uniqueEmail('client'), ignoreDuplicates: true } as never))).client!;
  /** A SEPA contract sent for signature on SENT_AT: the client gets a link by mail. */
  const sentByMail = async (client?: { id: string }) => {
    const c = client ?? (await clientWithMail());
    const p = await t.product(`P${Math.random().toString(36).slice(2, 8)}`.toUpperCase(), 4_990);
    const draft = await t.run((deps) =>
      createContract(deps, ZCreateContractInput.parse({ clientId: c.id, lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-04-01', durationMonths: 12, paymentMethod: 'sepa_debit', debtorIban: IBAN })),
    SENT_AT);
    return t.run((deps) => sendContract(deps, { contractId: draft.id }, LINKS), SENT_AT);
  };
  /** The token of the latest link mailed for the contract, read from the mail as the client gets it. */
  const mailedToken = async (contractId: string) => {
    const link = await t.run(({ tx }) => tx.contractSigningLink.findFirstOrThrow({ where: { contractId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }));
    const mail = await t.run(({ tx }) => tx.outgoingEffect.findFirstOrThrow({ where: { id: link.mailEffectId! } }));
    const token = /\/signature#(\S+)/.exec(mail.textBody)![1]!;
    return { token, link, mail };
  };
  const ip = uniqueIp();
  const publicDeps = (now: Date) => ({ db: t.auth.db, clock: () => now });
  const page = (token: string, now = SIGNED_AT, client = { ip, userAgent: 'Mozilla/5.0 (client)' }) => getSigningPage(publicDeps(now), { token }, client);
  const signRemote = (token: string, input: Record<string, unknown> = {}, now = SIGNED_AT, client = { ip, userAgent: 'Mozilla/5.0 (client)' }) =>
    signByLink(publicDeps(now), ZSignByLinkInput.parse({ token, signerName: 'élodie lefevre dubois', consent: true, ...input }), client);
  const contractRow = (contractId: string) => t.run(({ tx }) => tx.contract.findFirstOrThrow({ where: { id: contractId } }));
  return { ...t, clientWithMail, sentByMail, mailedToken, page, signRemote, contractRow, ip };
}

describe('the signing link mailed with a contract', () => {
  it('is mailed on send as an outgoing effect, kept only as a hash, and opens a page with the contract, the masked IBAN, the schedule and the legal texts', async () => {
    const t = await tenant();
    const sent = await t.sentByMail();
    const { token, link, mail } = await t.mailedToken(sent.id);
    expect(mail).toMatchObject({ template: 'contract-signing-link', status: 'queued', clientId: sent.client.id, recipient: link.recipient, subject: `Votre contrat ${sent.number} à signer` });
    expect(token.startsWith(`${t.owner.tenantId}.`)).toBe(true);
    // Only the secret's sha256 is stored: the token itself is nowhere in the link's row.
    expect(JSON.stringify(link)).not.toContain(token.split('.')[1]);
    expect(link.expiresAt.getTime() - SENT_AT.getTime()).toBe(SIGNING_LINK_TTL_DAYS * 24 * 3600 * 1000);
    expect(sent.signingLink).toMatchObject({ recipient: link.recipient, status: 'live', mailStatus: 'queued' });

    const shown = await t.page(token);
    expect(shown.contract).toMatchObject({ number: sent.number, debtorIban: 'FR76 •••• 0189', paymentMethod: 'sepa_debit' });
    expect(JSON.stringify(shown)).not.toContain('30006000011234567890189');
    expect(shown.schedule.periods[0]).toMatchObject({ dueDate: expect.stringMatching(/^2026-04-/) });
    expect(shown.schedule.total).toBe(12);
    // The texts served on the public page are the ones the rep's page serves.
    expect(shown.legal).toEqual(sent.legal);
    expect(shown.legal.mandate).toContain('vous autorisez (A) ');
    expect(shown.legal.withdrawal?.[0]).toContain('quatorze jours');
  });

  it('answers the same for a malformed, unknown, expired or another tenant\'s link', async () => {
    const a = await tenant('Société A');
    const b = await tenant('Société B');
    const sent = await a.sentByMail();
    const { token } = await a.mailedToken(sent.id);
    const secret = token.split('.')[1]!;
    const expired = new Date(SENT_AT.getTime() + SIGNING_LINK_TTL_DAYS * 24 * 3600 * 1000);
    for (const attempt of [
      () => a.page('pas-un-lien-valide-du-tout'),
      () => a.page(`${a.owner.tenantId}.${secret}x`),
      // A's secret under B's tenant: B's RLS never shows A's link.
      () => b.page(`${b.owner.tenantId}.${secret}`),
      () => a.page(token, expired),
      () => a.signRemote(token, {}, expired),
      () => b.signRemote(`${b.owner.tenantId}.${secret}`),
    ]) {
      expect(await failure(attempt())).toMatchObject({ code: 'NOT_FOUND', message: GONE });
    }
    // One second before it expires it still works.
    expect((await a.page(token, new Date(expired.getTime() - 1000))).contract.number).toBe(sent.number);
    expect((await a.contractRow(sent.id)).status).toBe('sent');
  });

  it('signs once with the evidence of the app plus the delivery record, and tells the rep; a second use answers NOT_FOUND', async () => {
    const t = await tenant();
    const sent = await t.sentByMail();
    const { token, link } = await t.mailedToken(sent.id);
    // The sender delivered the mail: its time is the link's delivery record.
    const deliveredAt = new Date('2026-03-02T09:00:05Z');
    await t.run(({ tx }) => tx.outgoingEffect.updateMany({ where: { id: link.mailEffectId! }, data: { status: 'sent', sentAt: deliveredAt } }));
    const shown = await t.page(token);

    // A wrong name is refused and leaves the link usable.
    expect(await failure(t.signRemote(token, { signerName: 'Jean Dupont' }))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { signerName: [expect.stringContaining('Lefèvre-Dubois')] } });
    expect(await t.signRemote(token)).toEqual({ number: sent.number, signedAt: SIGNED_AT.toISOString() });
    expect(await failure(t.signRemote(token))).toMatchObject({ code: 'NOT_FOUND', message: GONE });
    expect(await failure(t.page(token))).toMatchObject({ code: 'NOT_FOUND', message: GONE });

    const row = await t.contractRow(sent.id);
    expect(row).toMatchObject({ status: 'signed', signingChannel: 'remote', signerName: 'élodie lefevre dubois', signerIp: t.ip, signerUserAgent: 'Mozilla/5.0 (client)', signedPlace: 'Annecy' });
    // The evidence stored is byte-equal to what the signer was shown.
    expect(row.consentText).toBe(shown.legal.signatureConsent);
    const snapshot = fromSnapshotJson(row.signatureSnapshot)!;
    expect(snapshot.legal).toEqual(shown.legal);
    expect(snapshot.signature).toMatchObject({ channel: 'remote', presentedSha256: row.signedDocumentSha256 });
    expect(snapshot.delivery).toEqual({ linkId: link.id, mailEffectId: link.mailEffectId, mailSentAt: deliveredAt.toISOString(), recipient: link.recipient });
    const used = await t.run(({ tx }) => tx.contractSigningLink.findFirstOrThrow({ where: { id: link.id } }));
    expect(used).toMatchObject({ usedAt: SIGNED_AT, usedIp: t.ip, mailSentAt: deliveredAt });
    // No member acted: the history and the audit name nobody.
    const change = await t.run(({ tx }) => tx.contractStateChange.findFirstOrThrow({ where: { contractId: sent.id, toStatus: 'signed' } }));
    expect(change.actorUserId).toBeNull();

    // The rep (and the back office) are told it was signed at a distance.
    const event = await t.signedEvent(sent.id);
    expect(event.payload).toMatchObject({ channel: 'remote' });
    await withTenant(t.auth.db, t.owner.tenantId, (tx) => notifyOnEvent(tx, event));
    const notes = await t.run(({ tx }) => tx.notification.findMany({ where: { type: 'contract.signed' } }));
    expect(notes.map((n) => [n.userId, n.body])).toEqual([[t.owner.userId, expect.stringContaining('a signé à distance')]]);
  });

  it('stops working when resent, cancelled or signed in the app', async () => {
    const t = await tenant();
    const sent = await t.sentByMail();
    const first = await t.mailedToken(sent.id);
    const resent = await t.run((deps) => resendSigningLink(deps, { contractId: sent.id }, LINKS), SENT_AT);
    expect(resent.signingLink).toMatchObject({ status: 'live' });
    const second = await t.mailedToken(sent.id);
    expect(second.token).not.toBe(first.token);
    expect(await failure(t.page(first.token))).toMatchObject({ code: 'NOT_FOUND', message: GONE });
    expect((await t.page(second.token)).contract.number).toBe(sent.number);
    expect(await t.run(({ tx }) => tx.contractSigningLink.findFirstOrThrow({ where: { id: first.link.id } }))).toMatchObject({ revokedReason: 'resent' });

    // Signed in the app: the mailed link dies with it.
    await t.run((deps) => signContract(deps, ZSignContractInput.parse({ contractId: sent.id, signerName: 'Élodie Lefèvre-Dubois', consent: true }), EVIDENCE), SIGNED_AT);
    expect(await failure(t.signRemote(second.token))).toMatchObject({ code: 'NOT_FOUND', message: GONE });
    expect(await t.run(({ tx }) => tx.contractSigningLink.findFirstOrThrow({ where: { id: second.link.id } }))).toMatchObject({ revokedReason: 'signed_elsewhere' });

    // Cancelled: the same.
    const other = await t.sentByMail();
    const { token, link } = await t.mailedToken(other.id);
    await t.run((deps) => cancelContract(deps, { contractId: other.id, reason: 'Erreur de tarif' }), SENT_AT);
    expect(await failure(t.page(token))).toMatchObject({ code: 'NOT_FOUND', message: GONE });
    expect(await t.run(({ tx }) => tx.contractSigningLink.findFirstOrThrow({ where: { id: link.id } }))).toMatchObject({ revokedReason: 'contract_changed' });

    // A client without an address gets no link: the contract is signed in the app.
    const noMail = await t.sentContract(SENT_AT);
    expect(noMail.signingLink).toBeNull();
    expect(await failure(t.run((deps) => resendSigningLink(deps, { contractId: noMail.id }, LINKS)))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('is throttled per IP', async () => {
    const t = await tenant();
    const ip = uniqueIp();
    for (let i = 0; i < 30; i++) expect(await failure(t.page('inconnu-inconnu-inconnu', SIGNED_AT, { ip, userAgent: 'x' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(t.page('inconnu-inconnu-inconnu', SIGNED_AT, { ip, userAgent: 'x' }))).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});

describe('signing in the app and in the hand-over mode', () => {
  it('stores, byte for byte, the legal texts the signing page was served, and the channel', async () => {
    const t = await tenant();
    for (const mode of ['in_app', 'hand_over'] as const) {
      const sent = await t.sentContract(SENT_AT);
      const shown = await t.run((deps) => getContract(deps, { contractId: sent.id }));
      expect(shown.transitions).toEqual(['sign', 'cancel']);
      await t.run((deps) => signContract(deps, ZSignContractInput.parse({ contractId: sent.id, signerName: 'Jean Dupont', consent: true, signedPlace: 'Lyon', mode }), EVIDENCE), SIGNED_AT);
      const row = await t.contractRow(sent.id);
      expect(row.signingChannel).toBe(mode);
      expect(row.consentText).toBe(shown.legal.signatureConsent);
      expect(fromSnapshotJson(row.signatureSnapshot)!.legal).toEqual(shown.legal);
      // Once signed, the record serves the texts the signature kept.
      const after = await t.run((deps) => getContract(deps, { contractId: sent.id }), SIGNED_AT);
      expect(after.legal).toEqual(shown.legal);
      expect(after.transitions).toEqual(['activate', 'cancel', 'withdraw']);
    }
  });

  it('checks the signer: a person by the full name (accents, case, order aside); a company by the signer and their capacity', async () => {
    const t = await tenant();
    const sent = await t.sentContract(SENT_AT);
    const sign = (input: Record<string, unknown>, contractId = sent.id) =>
      t.run((deps) => signContract(deps, ZSignContractInput.parse({ contractId, consent: true, signedPlace: 'Lyon', ...input }), EVIDENCE), SIGNED_AT);
    // The last name alone, or another person, is not the client.
    for (const signerName of ['Dupont', 'Jean Dupond', 'Marie Dupont']) {
      expect(await failure(sign({ signerName }))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { signerName: ['Saisissez le nom du client : Jean Dupont'] } });
    }
    expect((await sign({ signerName: 'DUPONT  jéan' })).status).toBe('signed');

    const firm = await t.company('Garage Durand SARL');
    const p = await t.product('PRO', 100);
    const pro = await t.create({ clientId: firm.id, lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'transfer' }, SENT_AT);
    await t.run((deps) => sendContract(deps, { contractId: pro.id }), SENT_AT);
    expect(await failure(sign({ signerName: 'Paul Durand' }, pro.id))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { signerCapacity: [expect.any(String)] } });
    const signed = await sign({ signerName: 'Paul Durand', signerCapacity: 'gérant' }, pro.id);
    expect(signed).toMatchObject({ status: 'signed', signerName: 'Paul Durand', signerCapacity: 'gérant' });
  });
});

describe('the PDFs a signer reads', () => {
  it('name the legal form once, and the mandate shows no form hint as a value', async () => {
    expect(legalNameWithForm({ name: 'Exemple', legalName: 'Exemple SAS', legalForm: 'SAS' })).toBe('Exemple SAS');
    expect(legalNameWithForm({ name: 'Exemple', legalName: 'Exemple S.A.S.', legalForm: 'SAS' })).toBe('Exemple S.A.S.');
    expect(legalNameWithForm({ name: 'Exemple', legalName: 'Exemple', legalForm: 'SAS' })).toBe('Exemple SAS');
    expect(legalNameWithForm({ name: 'Sassenage Énergie', legalName: null, legalForm: 'SAS' })).toBe('Sassenage Énergie SAS');
    const t = await tenant();
    await t.run(({ tx }) => tx.organisation.updateMany({ data: { legalName: 'Énergie Locale SAS', legalForm: 'SAS' } }));
    const sent = await t.sentContract(SENT_AT);
    const text = await pdfText((await t.run((deps) => mandatePdf(deps, { contractId: sent.id }))).bytes);
    expect(text).toContain('Énergie Locale SAS');
    expect(text).not.toContain('SAS SAS');
    expect(text).not.toMatch(/\((à compléter|facultatif|non renseigné)\)/);
    // The mandate's wording is the one served with the contract, word for word.
    expect(text.replace(/\s+/g, ' ')).toContain(sent.legal.mandate!.slice(0, 120));
    await t.sign(sent.id, { now: SIGNED_AT, signedPlace: 'Annecy' });
    expect(await pdfText((await t.run((deps) => mandatePdf(deps, { contractId: sent.id }))).bytes)).toContain('Lieu : Annecy');
  });
});

describe('leaving the hand-over mode', () => {
  it("asks the rep's own password: a wrong one is a field error, the right one passes, five wrong ones block", async () => {
    const deps = testAuthDeps();
    const owner = await newTenant(deps);
    const claims = await verifyAccessToken(deps.auth, owner.session.accessToken, new Date());
    expect(await failure(confirmPassword(deps, claims, { password: 'pas le bon mot de passe' }))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { password: ['Mot de passe incorrect'] } });
    expect(await confirmPassword(deps, claims, { password: owner.password })).toEqual({ ok: true });
    for (let i = 0; i < 5; i++) await failure(confirmPassword(deps, claims, { password: 'pas le bon mot de passe' }));
    expect(await failure(confirmPassword(deps, claims, { password: owner.password }))).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});
