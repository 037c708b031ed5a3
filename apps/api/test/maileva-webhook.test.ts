import { rm } from 'node:fs/promises';
import { withTenant } from '@crm/db';
import { createClient, fakeMailevaHosts, LocalDiskStorage, MailevaClient, MailevaFake, queueLetter, samplePdf, storeGeneratedDocument } from '@crm/domain';
import { testAuthDeps } from '@crm/domain/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppOptions } from '../src/app.ts';
import { useApiServer } from './api-server.ts';

// Maileva's callback over real HTTP: POST /webhooks/maileva/<secret> or Basic auth, 201, a repeat
// changes nothing, the letter's state read back from the (fake) Maileva.
const SECRET = 'maileva-webhook-secret-of-the-test-0123456789';
const storage = LocalDiskStorage.temporary('crm-api-letters');
const services = { ...testAuthDeps(), documents: { storage, maxBytes: 30 * 1024 * 1024 } };
const fake = new MailevaFake();
let maileva: MailevaClient;
beforeAll(async () => {
  await fake.listen();
  maileva = new MailevaClient({ environment: 'fake', ...fakeMailevaHosts(fake.baseUrl), ...fake.credentials, notificationEmail: 'courrier@example.test' });
});
afterAll(async () => {
  await fake.close();
  await rm(storage.root, { recursive: true, force: true });
});
// Read when the app is built (after the fake listens).
const options = {
  get maileva(): AppOptions['maileva'] {
    return { maileva, webhookSecret: SECRET };
  },
} as Partial<AppOptions>;
const api = useApiServer(services, options);

async function submittedLetter() {
  const { tenantId } = await api.signUp('Courrier');
  const owner = await withTenant(services.db, tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { role: 'owner' } }));
  const bytes = await samplePdf(2);
  const letter = await withTenant(
    services.db,
    tenantId,
    async (tx) => {
      const deps = { tx, now: new Date(), actor: { userId: owner.userId, memberId: owner.id, role: 'owner' as const, tenantId }, documents: services.documents };
      const client = (await createClient(deps, { kind: 'company', companyName: 'Boulangerie Martin', addressLine1: '12 rue de la Paix', postalCode: '75002', city: 'Paris', ignoreDuplicates: true } as never)).client!;
      const document = await storeGeneratedDocument(deps, { clientId: client.id, kind: 'other', fileName: 'mise-en-demeure.pdf', bytes });
      return queueLetter(tx, tenantId, { clientId: client.id, documentId: document.id, service: 'registered', idempotencyKey: 'k', purpose: 'dunning' });
    },
    { userId: owner.userId },
  );
  const sending = await maileva.createSending('registered', { name: 'x', customId: 'x', colorPrinting: false, duplexPrinting: true, archivingDuration: 3 });
  await maileva.uploadDocument('registered', sending.id, bytes, 'x.pdf');
  await maileva.addRecipient('registered', sending.id, { customId: 'x', addressLines: ['Boulangerie Martin', null, null, '12 rue de la Paix', null, '75002 PARIS'], countryCode: 'FR' });
  await maileva.submit('registered', sending.id);
  await withTenant(services.db, tenantId, (tx) => tx.letter.update({ where: { id: letter.id }, data: { status: 'submitted', sendingId: sending.id, submittedAt: new Date() } }));
  return { tenantId, letterId: letter.id, sendingId: sending.id };
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${api.base()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`maileva:${password}`).toString('base64')}` });

describe("Maileva's webhook", () => {
  it('refuses a call without the secret (401), in the URL or as Basic auth, and changes nothing', async () => {
    const { tenantId, letterId, sendingId } = await submittedLetter();
    await fake.advance(sendingId);
    const notification = { resource_id: sendingId, event_type: 'ON_STATUS_PROCESSED' };
    for (const response of [
      await post('/webhooks/maileva/not-the-secret-at-all-0123456789', notification),
      await post('/webhooks/maileva', notification),
      await post('/webhooks/maileva', notification, basic('wrong')),
    ]) {
      expect(response.status).toBe(401);
    }
    const letter = await withTenant(services.db, tenantId, (tx) => tx.letter.findUniqueOrThrow({ where: { id: letterId } }));
    expect(letter.providerStatus).toBeNull();
  });

  it('answers 201, reads the letter back from Maileva, and a repeat (or both ways at once) stores nothing twice', async () => {
    const { tenantId, letterId, sendingId } = await submittedLetter();
    await fake.advance(sendingId); // PROCESSED, deposit proof
    const notification = { resource_id: sendingId, event_type: 'ON_DEPOSIT_PROOF_RECEIVED', resource_location: `${fake.baseUrl}/registered_mail/v2/sendings/${sendingId}` };
    const answers = await Promise.all([post(`/webhooks/maileva/${SECRET}`, notification), post('/webhooks/maileva', notification, basic(SECRET)), post(`/webhooks/maileva/${SECRET}`, notification)]);
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201]);
    const letter = await withTenant(services.db, tenantId, (tx) => tx.letter.findUniqueOrThrow({ where: { id: letterId } }));
    expect(letter).toMatchObject({ providerStatus: 'PROCESSED', deliveryStatus: 'A01', postageCents: 536 });
    const proofs = await withTenant(services.db, tenantId, (tx) => tx.document.count({ where: { kind: 'letter_proof' } }));
    expect(proofs).toBe(1);
  });

  it('answers 400 to a payload naming no resource or one on another host, 201 to a sending that is not ours', async () => {
    expect((await post(`/webhooks/maileva/${SECRET}`, { event_type: 'ON_STATUS_PROCESSED' })).status).toBe(400);
    expect((await post(`/webhooks/maileva/${SECRET}`, { resource_id: 'abc', resource_location: 'https://evil.example.test/mail/v2/sendings/abc' })).status).toBe(400);
    expect((await post(`/webhooks/maileva/${SECRET}`, { resource_id: 'not-ours' })).status).toBe(201);
  });
});
