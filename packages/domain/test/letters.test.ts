import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { withTenant } from '@crm/db';
import { Ajv, type ValidateFunction } from 'ajv';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  clientPostalAddress,
  createClient,
  deliverLetter,
  documentMetadata,
  fakeMailevaHosts,
  getLetter,
  handleMailevaNotification,
  listLetters,
  LocalDiskStorage,
  MAILEVA_COUNTRIES,
  MailevaClient,
  MailevaFake,
  planLetterPrint,
  postalAddressErrors,
  queueLetter,
  recipientCreationBody,
  RECONCILE_LETTERS_JOB,
  refreshLetter,
  sendDocumentByPost,
  sendingCreationBody,
  storeGeneratedDocument,
  tokenRequestForm,
  type DocumentDeps,
  type DomainError,
  type LetterToDeliver,
  type TLetterService,
} from '../src/index.ts';
import { newTenant, testAuthDeps } from './harness.ts';

// ------------------------------------------------------------------------------------------
// The contract: every body the client sends, validated against Maileva's own OpenAPI files
// (vendored in fixtures/maileva: CI has no ../shared).
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'maileva');
const specs = {
  auth: parse(readFileSync(path.join(FIXTURES, 'authentication-v2.0.yaml'), 'utf8')) as Record<string, unknown>,
  mail: parse(readFileSync(path.join(FIXTURES, 'mail-v2.6.yaml'), 'utf8')) as Record<string, unknown>,
  registered_mail: parse(readFileSync(path.join(FIXTURES, 'registered_mail-v2.5.yaml'), 'utf8')) as Record<string, unknown>,
};
// OpenAPI 3.0 schemas are JSON Schema plus a few keywords (example, nullable): strict off for
// those, unknown formats (`datetime`, `binary`, `url`) not checked, everything else enforced.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
for (const [name, spec] of Object.entries(specs)) ajv.addSchema(spec, name);

type Operation = { requestBody?: { content: Record<string, { schema: unknown }> } };
/** The request body schema of one operation, by the path and method of the file. */
function requestValidator(spec: keyof typeof specs, route: string, method: string, contentType: string): ValidateFunction {
  const paths = specs[spec].paths as Record<string, Record<string, Operation>>;
  const schema = paths[route]?.[method]?.requestBody?.content[contentType]?.schema;
  if (!schema) throw new Error(`${spec} ${method} ${route}: no ${contentType} request body in the file`);
  // Resolved within the file: its $refs point at its own components.
  return ajv.compile({ $ref: `${spec}#/paths/${route.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}/requestBody/content/${contentType.replace('/', '~1')}/schema` });
}
function responseValidator(spec: 'mail' | 'registered_mail', component: string): ValidateFunction {
  return ajv.compile({ $ref: `${spec}#/components/schemas/${component}` });
}
const valid = (validate: ValidateFunction, body: unknown) => {
  const ok = validate(body);
  return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};

/** A PDF of `pages` pages. */
async function pdfOf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (let i = 0; i < pages; i++) pdf.addPage([595, 842]);
  return pdf.save();
}

const fake = new MailevaFake();
let client: MailevaClient;
beforeAll(async () => {
  const base = await fake.listen();
  const creds = fake.credentials;
  client = new MailevaClient({ environment: 'fake', ...fakeMailevaHosts(base), ...creds, notificationEmail: 'courrier@example.test' });
});
afterAll(() => fake.close());

const letterFor = (service: TLetterService, reference: string, extra: Partial<LetterToDeliver> = {}): LetterToDeliver => ({
  id: reference,
  service,
  purpose: 'document',
  reference,
  attempts: 1,
  sendingId: null,
  addressLines: ['SARL Martin', 'M. Jean MARTIN', null, '12 rue de la Paix', null, '75002 PARIS'],
  countryCode: 'FR',
  colorPrinting: false,
  duplexPrinting: true,
  fileName: 'courrier.pdf',
  sender: { lines: ['Énergie Verte SAS', null, null, '1 place Bellecour', null, '69002 LYON'], countryCode: 'FR' },
  ...extra,
});
const noProgress = { sendingCreated: () => Promise.resolve(), recipientAdded: () => Promise.resolve() };

describe('the Maileva contract: every request body validates against the OpenAPI files', () => {
  it('validates the bodies as built, for each service', () => {
    const options = { name: 'document ref', customId: 'a'.repeat(32), colorPrinting: false, duplexPrinting: true, archivingDuration: 3, senderAddressLines: ['Énergie Verte SAS', null, null, '1 place Bellecour', null, '69002 LYON'], senderCountryCode: 'FR' };
    expect(valid(requestValidator('mail', '/sendings', 'post', 'application/json'), sendingCreationBody('simple', { ...options, archivingDuration: 0 }, 'a@example.test'))).toEqual([]);
    for (const service of ['registered', 'registered_with_ack'] as const) {
      expect(valid(requestValidator('registered_mail', '/sendings', 'post', 'application/json'), sendingCreationBody(service, options, 'a@example.test'))).toEqual([]);
    }
    const recipient = recipientCreationBody({ customId: 'b'.repeat(32), addressLines: ['SARL Martin', null, null, '12 rue de la Paix', null, '75002 PARIS'], countryCode: 'FR' });
    for (const spec of ['mail', 'registered_mail'] as const) {
      expect(valid(requestValidator(spec, '/sendings/{sending_id}/recipients', 'post', 'application/json'), recipient)).toEqual([]);
      expect(valid(requestValidator(spec, '/sendings/{sending_id}/documents', 'post', 'multipart/form-data'), { metadata: documentMetadata('courrier.pdf') })).toEqual([]);
    }
    const auth = specs.auth.paths as Record<string, Record<string, Operation>>;
    expect(auth['/token']?.post?.requestBody?.content['application/x-www-form-urlencoded']).toBeDefined();
    expect(valid(requestValidator('auth', '/token', 'post', 'application/x-www-form-urlencoded'), tokenRequestForm({ username: 'u', password: 'p' }))).toEqual([]);
  });

  it('would catch a body the files refuse (the validator is not blind)', () => {
    const sending = requestValidator('registered_mail', '/sendings', 'post', 'application/json');
    expect(valid(sending, { name: 'x' })).not.toEqual([]); // notification_email required
    expect(valid(sending, { name: 'x', notification_email: 'a@b', archiving_duration: 1 })).not.toEqual([]); // 3, 6 or 10
    expect(valid(requestValidator('mail', '/sendings/{sending_id}/recipients', 'post', 'application/json'), { address_line_1: 'x', country_code: 'XX' })).not.toEqual([]);
  });

  it('sends nothing the files refuse during whole deliveries (every request the fake received), options explicit, black and white', async () => {
    for (const service of ['simple', 'registered', 'registered_with_ack'] as const) {
      const from = fake.requests.length;
      const reference = `contract${service.replaceAll('_', '')}`.padEnd(32, '0').slice(0, 32);
      const delivered = await deliverLetter(client, letterFor(service, reference), () => pdfOf(3), noProgress);
      const spec = service === 'simple' ? 'mail' : 'registered_mail';
      const sent = fake.requests.slice(from);
      expect(sent.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/g, '{id}')}`)).toEqual([
        'POST /token',
        'POST /sendings',
        'GET /sendings/{id}',
        'GET /sendings/{id}/documents',
        'POST /sendings/{id}/documents',
        'GET /sendings/{id}/recipients',
        'POST /sendings/{id}/recipients',
        'POST /sendings/{id}/submit',
        'GET /sendings/{id}',
      ].filter((line, index) => index > 0 || from === 0));
      for (const request of sent.filter((r) => r.body !== null)) {
        const route = request.path === '/token' ? '/token' : request.path.replace(/\/sendings\/[^/]+/, '/sendings/{sending_id}');
        const validator = request.path === '/token' ? requestValidator('auth', '/token', 'post', 'application/x-www-form-urlencoded') : requestValidator(spec, route, 'post', 'application/json');
        expect(valid(validator, request.body), `${service} ${request.method} ${request.path}`).toEqual([]);
      }
      const creation = sent.find((r) => r.path === '/sendings')!.body as Record<string, unknown>;
      expect(creation).toMatchObject({ color_printing: false, duplex_printing: true, optional_address_sheet: true, custom_id: reference });
      if (service !== 'simple') expect(creation.acknowledgement_of_receipt).toBe(service === 'registered_with_ack');
      expect(delivered.sending.status).toBe('ACCEPTED');
      expect(valid(responseValidator(spec, 'sending_response'), delivered.sending)).toEqual([]);
      expect(fake.sendings.get(delivered.sendingId)!.body.color_printing).toBe(false);
    }
  });

  it('gets a new token on a 401 and tries once more', async () => {
    fake.expireTokens();
    const delivered = await deliverLetter(client, letterFor('simple', 'tokenrefresh'.padEnd(32, '0')), () => pdfOf(1), noProgress);
    expect(delivered.sending.status).toBe('ACCEPTED');
  });
});

describe('the checks before sending', () => {
  it('counts sheets with the address sheet, picks the envelope and refuses what no envelope holds', async () => {
    expect(await planLetterPrint(await pdfOf(8), true)).toEqual({ pages: 8, sheets: 5, envelope: 'DL' });
    expect(await planLetterPrint(await pdfOf(8), false)).toEqual({ pages: 8, sheets: 9, envelope: 'C4' });
    expect(await planLetterPrint(await pdfOf(88), true)).toEqual({ pages: 88, sheets: 45, envelope: 'C4' });
    await expect(planLetterPrint(await pdfOf(89), true)).rejects.toThrow(/Trop de feuilles pour une enveloppe : 46/);
    await expect(planLetterPrint(await pdfOf(45), false)).rejects.toThrow(/essayez le recto verso/);
    await expect(planLetterPrint(Buffer.from('not a pdf'), true)).rejects.toThrow(/ne peut pas être lu/);
    await expect(planLetterPrint(new Uint8Array(20 * 1024 * 1024 + 1), true)).rejects.toThrow(/20 Mo au plus/);
  });

  it('refuses address lines past 38 characters, a missing city line, a French line 6 without postal code, an unknown country', () => {
    const countries = MAILEVA_COUNTRIES;
    const ok = clientPostalAddress({ kind: 'person', civility: 'Mme', firstName: 'Anne', lastName: 'Durand', addressLine1: '3 rue Victor Hugo', postalCode: '69002', city: 'Lyon', country: 'FR' });
    expect(ok.lines).toEqual([null, 'Mme Anne DURAND', null, '3 rue Victor Hugo', null, '69002 LYON']);
    expect(postalAddressErrors(ok, countries)).toEqual({});
    expect(Object.keys(postalAddressErrors({ ...ok, lines: [null, 'x'.repeat(39), null, '3 rue', null, '69002 LYON'] }, countries))).toEqual(['address.line2']);
    expect(Object.keys(postalAddressErrors({ ...ok, lines: [null, 'Anne', null, '3 rue', null, null] }, countries))).toEqual(['address.line6']);
    expect(Object.keys(postalAddressErrors({ ...ok, lines: [null, 'Anne', null, '3 rue', null, 'LYON'] }, countries))).toEqual(['address.line6']);
    expect(postalAddressErrors({ ...ok, countryCode: 'ZZ' }, countries)['address.country']).toEqual(["Pays ZZ non desservi par l'envoi de courrier"]);
    expect(postalAddressErrors({ lines: [null, 'Anne', null, '3 rue', null, 'D-10115 BERLIN'], countryCode: 'DE' }, countries)).toEqual({});
  });
});

// ------------------------------------------------------------------------------------------
// On the real database: queueing, "send by post", the webhook's idempotency, RLS.
const storage = LocalDiskStorage.temporary('crm-letters-test');
afterAll(() => rm(storage.root, { recursive: true, force: true }));

async function tenant() {
  const auth = testAuthDeps();
  const owner = await newTenant(auth);
  const member = await withTenant(auth.db, owner.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: owner.userId } }));
  const run = <R>(f: (deps: DocumentDeps) => Promise<R>) =>
    withTenant(auth.db, owner.tenantId, (tx) => f({ tx, now: new Date(), actor: { userId: owner.userId, memberId: member.id, role: 'owner', tenantId: owner.tenantId }, documents: { storage, maxBytes: 30 * 1024 * 1024 } }), { userId: owner.userId });
  const clientWithAddress = async (extra: Record<string, unknown> = {}) =>
    (await run((deps) => createClient(deps, { kind: 'company', companyName: 'Boulangerie Martin', addressLine1: '12 rue de la Paix', postalCode: '75002', city: 'Paris', ignoreDuplicates: true, ...extra } as never))).client!;
  const pdfDocument = async (clientId: string, pages = 2) => {
    const bytes = await pdfOf(pages);
    return run((deps) => storeGeneratedDocument(deps, { clientId, kind: 'other', fileName: 'relance.pdf', bytes }));
  };
  return { auth, owner, run, clientWithAddress, pdfDocument };
}

describe('queueLetter and "send by post"', () => {
  it('records one letter per key with the address fixed now, and refuses an incomplete address with field errors', async () => {
    const t = await tenant();
    const c = await t.clientWithAddress();
    const doc = await t.pdfDocument(c.id);
    const input = { clientId: c.id, documentId: doc.id, service: 'registered_with_ack' as const, idempotencyKey: 'dunning:1:step:2', createdBy: 'system:dunning', purpose: 'dunning' };
    const first = await t.run(({ tx }) => queueLetter(tx, t.owner.tenantId, input));
    const again = await t.run(({ tx }) => queueLetter(tx, t.owner.tenantId, input));
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    const view = await t.run((deps) => getLetter(deps, { letterId: first.id }));
    expect(view).toMatchObject({ status: 'queued', service: 'registered_with_ack', colorPrinting: false, duplexPrinting: true, countryCode: 'FR', addressLines: ['Boulangerie Martin', null, null, '12 rue de la Paix', null, '75002 PARIS'] });

    const noAddress = (await t.run((deps) => createClient(deps, { kind: 'company', companyName: 'Sans Adresse', ignoreDuplicates: true } as never))).client!;
    const error = (await t.run(({ tx }) => queueLetter(tx, t.owner.tenantId, { ...input, clientId: noAddress.id, idempotencyKey: 'k2' })).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe('BAD_REQUEST');
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(['address.line4', 'address.line6']);
  });

  it('posts a stored PDF of a client, once per request, and refuses one no envelope holds', async () => {
    const t = await tenant();
    const c = await t.clientWithAddress();
    const doc = await t.pdfDocument(c.id, 3);
    const requestId = '01900000-0000-7000-8000-000000000001';
    const sent = await t.run((deps) => sendDocumentByPost(deps, { documentId: doc.id, service: 'simple', colorPrinting: false, duplexPrinting: true, requestId }));
    const twice = await t.run((deps) => sendDocumentByPost(deps, { documentId: doc.id, service: 'simple', colorPrinting: false, duplexPrinting: true, requestId }));
    expect(twice.id).toBe(sent.id);
    expect((await t.run((deps) => listLetters(deps, { clientId: c.id, limit: 30 }))).items.map((l) => l.id)).toEqual([sent.id]);
    const big = await t.pdfDocument(c.id, 100);
    const error = (await t.run((deps) => sendDocumentByPost(deps, { documentId: big.id, service: 'simple', colorPrinting: false, duplexPrinting: true, requestId: '01900000-0000-7000-8000-000000000002' })).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.documentId?.[0]).toMatch(/Trop de feuilles/);
  });

  it('keeps each organisation to its own letters (RLS): another one\'s client, document and letter are not found', async () => {
    const a = await tenant();
    const b = await tenant();
    const bClient = await b.clientWithAddress();
    const bDoc = await b.pdfDocument(bClient.id);
    const bLetter = await b.run(({ tx }) => queueLetter(tx, b.owner.tenantId, { clientId: bClient.id, documentId: bDoc.id, service: 'simple', idempotencyKey: 'b', purpose: 'document' }));
    const aClient = await a.clientWithAddress();
    const aDoc = await a.pdfDocument(aClient.id);
    await expect(a.run(({ tx }) => queueLetter(tx, a.owner.tenantId, { clientId: bClient.id, documentId: aDoc.id, service: 'simple', idempotencyKey: 'x', purpose: 'document' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(a.run(({ tx }) => queueLetter(tx, a.owner.tenantId, { clientId: aClient.id, documentId: bDoc.id, service: 'simple', idempotencyKey: 'y', purpose: 'document' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(a.run((deps) => getLetter(deps, { letterId: bLetter.id }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await a.run(({ tx }) => tx.letter.count())).toBe(0);
    // Written with A's tenant but B's ids: the same-tenant foreign keys refuse it.
    await expect(
      a.run(({ tx }) => tx.letter.create({ data: { tenantId: a.owner.tenantId, clientId: bClient.id, documentId: bDoc.id, service: 'simple', purpose: 'x', idempotencyKey: 'z', addressLines: [], countryCode: 'FR', reference: 'z' } })),
    ).rejects.toThrow();
  });
});

describe('status updates: webhook and reconciliation', () => {
  async function submitted(service: TLetterService) {
    const t = await tenant();
    const c = await t.clientWithAddress();
    const doc = await t.pdfDocument(c.id);
    const queued = await t.run(({ tx }) => queueLetter(tx, t.owner.tenantId, { clientId: c.id, documentId: doc.id, service, idempotencyKey: `k-${service}`, purpose: 'dunning' }));
    const row = await t.run(({ tx }) => tx.letter.findFirstOrThrow({ where: { id: queued.id } }));
    const delivered = await deliverLetter(client, letterFor(service, row.reference), () => pdfOf(2), noProgress);
    await t.run(({ tx }) => tx.letter.update({ where: { id: queued.id }, data: { status: 'submitted', sendingId: delivered.sendingId, submittedAt: new Date() } }));
    return { t, letterId: queued.id, sendingId: delivered.sendingId, clientId: c.id };
  }
  const deps = (db: ReturnType<typeof testAuthDeps>['db']) => ({ db, maileva: client, storage, clock: () => new Date() });

  it('re-fetches on each notification, stores each proof once as a document of the client, and a repeat changes nothing', async () => {
    const { t, letterId, sendingId, clientId } = await submitted('registered_with_ack');
    const notification = { resource_id: sendingId, event_type: 'ON_STATUS_PROCESSED', resource_location: `${fake.baseUrl}/registered_mail/v2/sendings/${sendingId}` };
    await fake.advance(sendingId); // PROCESSED, deposit proof
    expect(await handleMailevaNotification(deps(t.auth.db), notification)).toEqual({ letterId });
    const once = await t.run((d) => getLetter(d, { letterId }));
    expect(once).toMatchObject({ providerStatus: 'PROCESSED', deliveryStatus: 'A01', postageCents: 635 });
    expect(once.registeredNumber).toMatch(/^1A\d{11}$/);
    expect(once.proofs.depositProofDocumentId).not.toBeNull();
    await Promise.all([handleMailevaNotification(deps(t.auth.db), notification), handleMailevaNotification(deps(t.auth.db), notification)]);
    const twice = await t.run((d) => getLetter(d, { letterId }));
    expect(twice.history).toEqual(once.history);
    const proofs = () => t.run(({ tx }) => tx.document.findMany({ where: { clientId, kind: 'letter_proof' }, select: { fileName: true, mimeType: true } }));
    expect(await proofs()).toHaveLength(1);
    await fake.advance(sendingId); // D01
    await fake.advance(sendingId); // N01, acknowledgement of receipt
    await fake.advance(sendingId); // archived
    await handleMailevaNotification(deps(t.auth.db), { ...notification, event_type: 'ON_STATUS_ARCHIVED' });
    const done = await t.run((d) => getLetter(d, { letterId }));
    expect(done.history.map((h) => h.code)).toEqual(['PROCESSED', 'A01', 'proof:deposit', 'D01', 'N01', 'proof:acknowledgement', 'proof:archive']);
    expect((await proofs()).map((p) => p.mimeType)).toEqual(['application/pdf', 'application/pdf', 'application/pdf']);
  });

  it('refuses a resource on another host and ignores a sending that is not ours', async () => {
    const { t } = await submitted('simple');
    await expect(handleMailevaNotification(deps(t.auth.db), { resource_id: 'abc', resource_location: 'https://evil.example.test/mail/v2/sendings/abc' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(handleMailevaNotification(deps(t.auth.db), { event_type: 'ON_STATUS_PROCESSED' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await handleMailevaNotification(deps(t.auth.db), { resource_id: 'unknown-sending' })).toEqual({ letterId: null });
  });

  it('reconciles the letters no webhook updated for 24 hours, and only those', async () => {
    const { t, letterId, sendingId } = await submitted('simple');
    await fake.advance(sendingId);
    const runJob = (now: Date) =>
      withTenant(t.auth.db, t.owner.tenantId, (tx) =>
        RECONCILE_LETTERS_JOB.run({ tx, tenantId: t.owner.tenantId, now, today: '2026-12-08', timeZone: 'Europe/Paris', job: { id: 'j', kind: 'letters.reconcile', key: 'hourly', attempt: 1, runAt: now }, storage, maileva: client }, {}),
      );
    await t.run(({ tx }) => tx.letter.update({ where: { id: letterId }, data: { statusCheckedAt: new Date() } }));
    expect(await runJob(new Date())).toEqual({ refreshed: 0, errors: 0 });
    expect(await runJob(new Date(Date.now() + 25 * 3_600_000))).toEqual({ refreshed: 1, errors: 0 });
    expect((await t.run((d) => getLetter(d, { letterId }))).providerStatus).toBe('PROCESSED');
    // Refreshing by hand reads the same state again: nothing changes.
    expect(await withTenant(t.auth.db, t.owner.tenantId, (tx) => refreshLetter({ tx, tenantId: t.owner.tenantId, now: new Date(), maileva: client, storage }, letterId))).toEqual({ changed: false });
  });
});
