import { rm } from 'node:fs/promises';
import { withSystem, withTenant, type Db } from '@crm/db';
import type { TestDatabase } from '@crm/db/testing';
import { createClient, fakeMailevaHosts, LocalDiskStorage, MailevaClient, MailevaFake, queueLetter, samplePdf, storeGeneratedDocument, type AuthDeps, type FetchLike } from '@crm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LetterSender } from '../src/letters/letter-sender.ts';
import { newOrganisation, ownDatabase, silent } from './support.ts';

let database: TestDatabase;
let db: Db;
let deps: AuthDeps;
const fake = new MailevaFake();
const storage = LocalDiskStorage.temporary('crm-letters-worker');
beforeAll(async () => {
  ({ database, db, deps } = await ownDatabase('crm_letters'));
  await fake.listen();
}, 60_000);
afterAll(async () => {
  await fake.close();
  await db.$disconnect();
  await database.drop();
  await rm(storage.root, { recursive: true, force: true });
});

/** A client for the fake; `fetch` may be wrapped to lose answers as a crash would. */
const maileva = (fetch?: FetchLike) => new MailevaClient({ environment: 'fake', ...fakeMailevaHosts(fake.baseUrl), ...fake.credentials, notificationEmail: 'courrier@example.test' }, fetch ? { fetch } : {});

async function queuedLetter(service: 'simple' | 'registered_with_ack' = 'simple', pages = 2) {
  const org = await newOrganisation(deps);
  const member = await withTenant(db, org.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: org.userId } }));
  const bytes = await samplePdf(pages);
  return withTenant(
    db,
    org.tenantId,
    async (tx) => {
      const documentDeps = { tx, now: new Date(), actor: { userId: org.userId, memberId: member.id, role: 'owner' as const, tenantId: org.tenantId }, documents: { storage, maxBytes: 30 * 1024 * 1024 } };
      const client = (await createClient(documentDeps, { kind: 'company', companyName: 'Boulangerie Martin', addressLine1: '12 rue de la Paix', postalCode: '75002', city: 'Paris', ignoreDuplicates: true } as never)).client!;
      const document = await storeGeneratedDocument(documentDeps, { clientId: client.id, kind: 'other', fileName: 'relance.pdf', bytes });
      const letter = await queueLetter(tx, org.tenantId, { clientId: client.id, documentId: document.id, service, idempotencyKey: `k-${document.id}`, purpose: 'dunning' });
      return { tenantId: org.tenantId, letterId: letter.id };
    },
    { userId: org.userId },
  );
}
const row = (id: string) => withSystem(db, (tx) => tx.letter.findUniqueOrThrow({ where: { id } }));
const sendingsOf = (reference: string) => [...fake.sendings.values()].filter((s) => s.body.custom_id === reference);
const sender = (client: MailevaClient, extra: Partial<ConstructorParameters<typeof LetterSender>[0]> = {}) =>
  new LetterSender({ db, maileva: client, storage, log: silent, retryBaseMs: 10, pollMs: 50, ...extra });
/** Runs rounds until the letter is no longer queued or sending (due again at once: tiny retry delays). */
async function drain(s: LetterSender, id: string, rounds = 10) {
  for (let i = 0; i < rounds; i++) {
    await s.drainOnce();
    const r = await row(id);
    if (r.status !== 'queued' && r.status !== 'sending') return r;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  return row(id);
}

describe('the letter sender', () => {
  it('posts a queued letter after commit and records the sending, once', async () => {
    const { letterId } = await queuedLetter('registered_with_ack');
    const done = await drain(sender(maileva()), letterId);
    expect(done).toMatchObject({ status: 'submitted', attempts: 1, providerStatus: 'ACCEPTED', environment: 'fake', lastError: null });
    expect(sendingsOf(done.reference)).toHaveLength(1);
    expect(sendingsOf(done.reference)[0]).toMatchObject({ status: 'ACCEPTED', body: { color_printing: false, duplex_printing: true, acknowledgement_of_receipt: true } });
    expect((done.history as { code: string }[]).map((h) => h.code)).toEqual(['submitted']);
    // Nothing left to do: another round claims nothing.
    expect(await sender(maileva()).drainOnce()).toBe(0);
  });

  it('retries a 503 with backoff, then posts it', async () => {
    const { letterId } = await queuedLetter();
    fake.failNext = { method: 'POST', pathPattern: /^\/sendings$/, status: 503, times: 2 };
    const s = sender(maileva());
    await s.drainOnce();
    const waiting = await row(letterId);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
    expect(waiting.lastError).toMatch(/503/);
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() - 1_000);
    const done = await drain(s, letterId);
    expect(done).toMatchObject({ status: 'submitted', attempts: 3, lastError: null });
    expect(sendingsOf(done.reference)).toHaveLength(1);
  });

  it('gives up on a refusal (a 4xx) with Maileva\'s reason, and does not ask again', async () => {
    const { letterId } = await queuedLetter();
    fake.failNext = { method: 'POST', pathPattern: /^\/sendings\/[^/]+\/recipients$/, status: 400, times: 1 };
    const done = await drain(sender(maileva()), letterId);
    expect(done.status).toBe('failed');
    expect(done.attempts).toBe(1);
    expect(done.lastError).toMatch(/Maileva a répondu 400 à POST \/sendings\/\{?.*recipients/);
  });

  it('makes one sending when the answer to its creation is lost (the worker died before recording it)', async () => {
    const { letterId } = await queuedLetter();
    // The fake creates the sending; the answer never reaches the worker.
    let lose = true;
    const losing: FetchLike = async (url, init) => {
      const response = await fetch(url, init);
      if (lose && init?.method === 'POST' && url.endsWith('/sendings')) {
        lose = false;
        throw new TypeError('socket hang up');
      }
      return response;
    };
    const done = await drain(sender(maileva(losing)), letterId);
    expect(done.status).toBe('submitted');
    expect(done.attempts).toBe(2);
    expect(sendingsOf(done.reference)).toHaveLength(1);
    expect(sendingsOf(done.reference)[0]!.status).toBe('ACCEPTED');
  });

  it('submits once when the worker dies after submitting (lease expired), and resumes from Maileva\'s state', async () => {
    const { letterId } = await queuedLetter();
    let die = true;
    const dying: FetchLike = async (url, init) => {
      const response = await fetch(url, init);
      if (die && url.endsWith('/submit')) {
        die = false;
        // The worker is gone: it records nothing, its lease runs out.
        await withSystem(db, (tx) => tx.$executeRaw`UPDATE letters SET lease_until = now() - interval '1 second' WHERE id = ${letterId}::uuid`);
        throw new Error('SIGKILL');
      }
      return response;
    };
    const first = sender(maileva(dying), { maxAttempts: 8 });
    await first.drainOnce();
    // The dead worker's outcome never lands; what the database holds is its lease and Maileva's id.
    const orphan = await row(letterId);
    expect(orphan.sendingId).not.toBeNull();
    await withSystem(db, (tx) => tx.$executeRaw`UPDATE letters SET status = 'sending', lease_until = now() - interval '1 second', last_error = NULL WHERE id = ${letterId}::uuid`);
    const done = await drain(sender(maileva()), letterId);
    expect(done.status).toBe('submitted');
    expect(done.lastError).toBeNull();
    const sendings = sendingsOf(done.reference);
    expect(sendings).toHaveLength(1);
    expect(sendings[0]!.documents).toHaveLength(1);
    expect(sendings[0]!.recipients).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path === `/sendings/${sendings[0]!.id}/submit`)).toHaveLength(1);
  });

  it('refuses before any call a PDF no envelope holds', async () => {
    const { letterId } = await queuedLetter('simple', 100);
    const before = fake.sendings.size;
    const done = await drain(sender(maileva()), letterId);
    expect(done.status).toBe('failed');
    expect(done.lastError).toMatch(/Trop de feuilles pour une enveloppe/);
    expect(fake.sendings.size).toBe(before);
  });
});
