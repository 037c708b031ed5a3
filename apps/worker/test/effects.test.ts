import { randomUUID } from 'node:crypto';
import { withSystem, withTenant, type Db } from '@crm/db';
import type { TestDatabase } from '@crm/db/testing';
import { rm } from 'node:fs/promises';
import {
  createClient,
  createContract,
  createProduct,
  DEFAULT_MAX_DOCUMENT_BYTES,
  emitEvent,
  handlerOf,
  LocalDiskStorage,
  PermanentEventError,
  queueSystemMail,
  queueTenantMail,
  sendContract,
  signContract,
  ZCreateClientInput,
  ZCreateContractInput,
  ZSignContractInput,
  type AuthDeps,
  type DocumentDeps,
  type EventHandler,
  type HandlerDeps,
} from '@crm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EffectSender } from '../src/effects/effect-sender.ts';
import { captureTransport, messageIdFor, smtpTransport, type MailTransport } from '../src/effects/transports.ts';
import { startWorker } from '../src/worker.ts';
import { startSmtpServer } from './smtp.ts';
import { newOrganisation, ownDatabase, silent, until } from './support.ts';

let database: TestDatabase;
let db: Db;
let deps: AuthDeps;
beforeAll(async () => {
  ({ database, db, deps } = await ownDatabase('crm_effects'));
}, 60_000);
afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

const FROM = 'CRM <no-reply@crm.example.test>';

async function systemMail(key = randomUUID(), recipient = `p.${key.slice(0, 8)}@example.test`) {
  await withSystem(db, (tx) => queueSystemMail(tx, { recipient, template: 'test', subject: 'Objet', textBody: 'Bonjour', idempotencyKey: key }));
  return { key, recipient };
}
const systemRow = (key: string) => db.systemMail.findUniqueOrThrow({ where: { idempotencyKey: key } });
const sender = (transport: MailTransport, extra: Partial<ConstructorParameters<typeof EffectSender>[0]> = {}) =>
  new EffectSender({ db, transport, log: silent, retryBaseMs: 50, pollMs: 50, ...extra });

describe('handler dependencies', () => {
  it('gives a handler the tenant calendar, a system actor and a mail queue in its own transaction', async () => {
    const org = await newOrganisation(deps);
    await withTenant(db, org.tenantId, (tx) => tx.organisation.update({ where: { id: org.tenantId }, data: { timezone: 'Pacific/Kiritimati' } }));
    const seen: Omit<HandlerDeps, 'storage' | 'queueMail'>[] = [];
    const mailer: EventHandler = {
      consumer: 'test-mailer',
      types: ['client.created'],
      async handle(_tx, event, handlerDeps) {
        const { storage: _s, queueMail, ...rest } = handlerDeps;
        seen.push(rest);
        await queueMail({ recipient: 'client@example.test', template: 'welcome', subject: 'Bienvenue', textBody: 'Bonjour', idempotencyKey: `welcome:${event.id}` });
        const payload = event.payload as { displayName?: string };
        if (payload.displayName === 'rollback') throw new PermanentEventError('refused after queueing');
      },
    };
    // 23:30 UTC is already the next day at UTC+14.
    const clock = () => new Date('2026-06-30T23:30:00Z');
    const worker = await startWorker({ db, nats: null, log: silent, handlers: [mailer], clock, relayPollMs: 50, effects: { transport: captureTransport(FROM), pollMs: 50 } });
    try {
      const emit = (displayName: string) =>
        withTenant(db, org.tenantId, (tx) => emitEvent(tx, { type: 'client.created', tenantId: org.tenantId, payload: { clientId: randomUUID(), kind: 'person', displayName, salesRepId: null } }));
      await emit('kept');
      await emit('rollback');
      await until(() => withTenant(db, org.tenantId, (tx) => tx.deadLetter.count()), (n) => n === 1);
      const effects = await until(
        () => withTenant(db, org.tenantId, (tx) => tx.outgoingEffect.findMany()),
        (rows) => rows.length === 1 && rows[0]!.status === 'sent',
      );
      expect(seen[0]).toEqual({ now: clock(), timeZone: 'Pacific/Kiritimati', today: '2026-07-01', actor: { kind: 'system', tenantId: org.tenantId, name: 'system:test-mailer' } });
      // The rolled-back handler's mail was never recorded, so never sent.
      expect(effects).toHaveLength(1);
      expect(effects[0]).toMatchObject({ createdBy: 'system:test-mailer', transport: 'capture', attempts: 1 });
      expect(effects[0]!.providerMessageId).toBe(messageIdFor(`tenant:${org.tenantId}:${effects[0]!.idempotencyKey}`, FROM));
      // Another tenant sees none of it.
      const other = await newOrganisation(deps);
      expect(await withTenant(db, other.tenantId, (tx) => tx.outgoingEffect.count())).toBe(0);
    } finally {
      await worker.stop();
    }
  });
});

describe('the sender over SMTP', () => {
  it('delivers system and tenant mail once, with a Message-ID derived from the key, and records the answer', async () => {
    const smtp = await startSmtpServer();
    const org = await newOrganisation(deps);
    const { key } = await systemMail();
    await systemMail(key); // the same key again: one mail
    await withTenant(db, org.tenantId, (tx) => queueTenantMail(tx, org.tenantId, { recipient: 'debiteur@example.test', template: 't', subject: 'Avis', textBody: 'Texte', htmlBody: '<p>Texte</p>', idempotencyKey: 'k1' }));
    const transport = smtpTransport(smtp.url, FROM);
    try {
      await sender(transport).drainOnce();
      expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['debiteur@example.test', (await systemRow(key)).recipient].sort());
      const row = await systemRow(key);
      expect(row).toMatchObject({ status: 'sent', attempts: 1, transport: 'smtp', lastError: null, providerMessageId: messageIdFor(`system:${key}`, FROM) });
      expect(row.sentAt).toBeInstanceOf(Date);
      expect(smtp.received.map((m) => m.messageId)).toContain(row.providerMessageId);
      const tenantMail = smtp.received.find((m) => m.to[0] === 'debiteur@example.test')!;
      expect(tenantMail.raw).toMatch(/text\/html/);
      // A second round finds nothing to send.
      expect(await sender(transport).drainOnce()).toBe(0);
      expect(smtp.received).toHaveLength(2);
    } finally {
      await transport.close();
      await smtp.close();
    }
  });

  it("attaches a tenant mail's stored documents, read from the document storage", async () => {
    const smtp = await startSmtpServer();
    const org = await newOrganisation(deps);
    const storage = LocalDiskStorage.temporary('crm-effects-attachments');
    const pdf = Buffer.from('%PDF-1.4\n% contrat signé\n%%EOF\n');
    const documentId = randomUUID();
    await storage.put(`${org.tenantId}/2026/03/${documentId}`, pdf);
    await withTenant(db, org.tenantId, async (tx) => {
      const client = await tx.client.create({ data: { tenantId: org.tenantId, kind: 'company', companyName: 'Garage Durand', displayName: 'Garage Durand', sortName: 'garage durand', searchText: 'garage durand' } });
      await tx.document.create({
        data: { id: documentId, tenantId: org.tenantId, clientId: client.id, kind: 'signed_contract', fileName: 'contrat-CT-1-signe.pdf', mimeType: 'application/pdf', sizeBytes: pdf.length, sha256: 'x', storageKey: `${org.tenantId}/2026/03/${documentId}` },
      });
      await queueTenantMail(tx, org.tenantId, { recipient: 'client.pj@example.test', template: 't', subject: 'Votre contrat', textBody: 'Ci-joint', idempotencyKey: 'with-pdf', attachmentDocumentIds: [documentId], clientId: client.id });
    });
    const transport = smtpTransport(smtp.url, FROM);
    try {
      await sender(transport, { storage }).drainOnce();
      const mail = smtp.received.find((m) => m.to[0] === 'client.pj@example.test')!;
      expect(mail.raw).toMatch(/Content-Type: application\/pdf; name=contrat-CT-1-signe\.pdf/);
      expect(mail.raw).toContain(pdf.toString('base64'));
      const row = await withTenant(db, org.tenantId, (tx) => tx.outgoingEffect.findFirstOrThrow({ where: { idempotencyKey: 'with-pdf' } }));
      expect(row).toMatchObject({ status: 'sent', attachments: [documentId] });
    } finally {
      await transport.close();
      await smtp.close();
      await rm(storage.root, { recursive: true, force: true });
    }
  });

  it('retries after a 4xx with a growing delay, and fails at once on a 5xx', async () => {
    let refusals = 0;
    const smtp = await startSmtpServer({
      refuse: (to) => {
        if (to.startsWith('busy') && refusals < 2) return (refusals++, { code: 451, message: 'try again later' });
        if (to.startsWith('unknown')) return { code: 550, message: 'no such mailbox' };
        return null;
      },
    });
    const busy = await systemMail(undefined, `busy.${randomUUID().slice(0, 6)}@example.test`);
    const unknown = await systemMail(undefined, `unknown.${randomUUID().slice(0, 6)}@example.test`);
    const transport = smtpTransport(smtp.url, FROM);
    const running = sender(transport, { retryBaseMs: 100 });
    running.start();
    try {
      const sent = await until(() => systemRow(busy.key), (row) => row.status === 'sent', 10_000);
      expect(sent.attempts).toBe(3);
      const failed = await systemRow(unknown.key);
      expect(failed).toMatchObject({ status: 'failed', attempts: 1, providerMessageId: null });
      expect(failed.lastError).toMatch(/550/);
      expect(smtp.received.filter((m) => m.to[0] === busy.recipient)).toHaveLength(1);
      expect(smtp.received.filter((m) => m.to[0] === unknown.recipient)).toHaveLength(0);
    } finally {
      await running.stop();
      await transport.close();
      await smtp.close();
    }
  });

  it('gives up after the last attempt when the server stays away', async () => {
    const { key } = await systemMail();
    const transport = smtpTransport('smtp://127.0.0.1:1', FROM);
    const running = sender(transport, { retryBaseMs: 20, maxAttempts: 3 });
    running.start();
    try {
      const row = await until(() => systemRow(key), (r) => r.status === 'failed', 10_000);
      expect(row.attempts).toBe(3);
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await running.stop();
    }
  });

  it('a lease that runs out while sending: uncertain over SMTP (never resent), due again with capture', async () => {
    const smtp = await startSmtpServer();
    const smtpMail = await systemMail();
    const captured = await systemMail();
    // A worker claimed both and died before recording: 'sending', leases already past.
    await db.$executeRaw`UPDATE system_mails SET status = 'sending', attempts = 1, lease_until = now() - interval '1 second',
      transport = CASE WHEN idempotency_key = ${smtpMail.key} THEN 'smtp' ELSE 'capture' END
      WHERE idempotency_key IN (${smtpMail.key}, ${captured.key})`;
    const transport = smtpTransport(smtp.url, FROM);
    try {
      await sender(transport).drainOnce();
      expect(await systemRow(smtpMail.key)).toMatchObject({ status: 'uncertain', attempts: 1, lastError: 'lease expired while sending: it may have been sent' });
      // The captured one was due again (its transport deduplicates) and went out on this round.
      expect(smtp.received.map((m) => m.to[0])).toEqual([captured.recipient]);
      expect(await systemRow(captured.key)).toMatchObject({ status: 'sent', attempts: 2 });
      await sender(transport).drainOnce();
      expect(await systemRow(smtpMail.key)).toMatchObject({ status: 'uncertain', attempts: 1 });
      expect(smtp.received).toHaveLength(1);
    } finally {
      await transport.close();
      await smtp.close();
    }
  });

  it('a rolled-back transaction sends nothing', async () => {
    const smtp = await startSmtpServer();
    const key = randomUUID();
    await expect(
      withSystem(db, async (tx) => {
        await queueSystemMail(tx, { recipient: 'rollback@example.test', template: 't', subject: 's', textBody: 'b', idempotencyKey: key });
        throw new Error('the change fails after queueing');
      }),
    ).rejects.toThrow(/the change fails/);
    const transport = smtpTransport(smtp.url, FROM);
    try {
      await sender(transport).drainOnce();
      expect(await db.systemMail.findUnique({ where: { idempotencyKey: key } })).toBeNull();
      expect(smtp.received.filter((m) => m.to[0] === 'rollback@example.test')).toHaveLength(0);
    } finally {
      await transport.close();
      await smtp.close();
    }
  });
});

describe('contract.signed through the worker', () => {
  it('stores the signed PDF (documents) and mails the client its copy with that PDF attached (email), over SMTP', async () => {
    const storage = LocalDiskStorage.temporary('crm-seed-mail');
    const org = await newOrganisation(deps);
    const member = await withTenant(db, org.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: org.userId } }));
    const run = <R>(f: (d: DocumentDeps) => Promise<R>) =>
      withTenant(db, org.tenantId, (tx) => f({ tx, now: new Date(), actor: { userId: org.userId, tenantId: org.tenantId, memberId: member.id, role: 'owner' }, documents: { storage, maxBytes: DEFAULT_MAX_DOCUMENT_BYTES } }), { userId: org.userId });
    const { client } = await run((d) => createClient(d, ZCreateClientInput.parse({ kind: 'person', firstName: 'Jean', lastName: 'Dupont', email: 'jean.dupont@example.test', ignoreDuplicates: true })));
    const product = await run((d) => createProduct(d, { code: 'ABO', name: 'Abonnement', description: '', priceCents: 4_990, vatRateCode: 'NORMAL', billingFrequency: 'monthly', effectiveFrom: '2026-01-01' }));
    const draft = await run((d) =>
      createContract(d, ZCreateContractInput.parse({ clientId: client!.id, lines: [{ productId: product.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'sepa_debit', debtorIban: 'FR76 3000 6000 0112 3456 7890 189' })),
    );
    await run((d) => sendContract(d, { contractId: draft.id }));
    await run((d) => signContract(d, ZSignContractInput.parse({ contractId: draft.id, signerName: 'Jean Dupont', consent: true, signedPlace: 'Lyon' }), { ip: '203.0.113.7', userAgent: 'test' }));

    const smtp = await startSmtpServer();
    const worker = await startWorker({
      db,
      nats: null,
      log: silent,
      relayPollMs: 50,
      storage,
      handlers: [handlerOf('documents')!, handlerOf('email')!],
      // The email group waits (fails, is tried again) until the documents group has stored the PDF.
      policy: { maxAttempts: 20, retryBaseMs: 50 },
      effects: { transport: smtpTransport(smtp.url, 'CRM <no-reply@crm.example.test>'), pollMs: 50 },
    });
    try {
      const [mail] = await until(
        () => withTenant(db, org.tenantId, (tx) => tx.outgoingEffect.findMany({ where: { template: 'contract.signed_copy' } })),
        (rows) => rows.length === 1 && rows[0]!.status === 'sent',
      );
      const [document] = await withTenant(db, org.tenantId, (tx) => tx.document.findMany({ where: { contractId: draft.id, kind: 'signed_contract' } }));
      expect(mail!.attachments).toEqual([document!.id]);
      const received = smtp.received.filter((m) => m.to[0] === 'jean.dupont@example.test');
      expect(received).toHaveLength(1);
      expect(received[0]!.raw).toMatch(new RegExp(`Content-Type: application/pdf; name=contrat-${draft.number}-signe\\.pdf`));
      expect(mail!.subject).toBe(`Votre contrat ${draft.number} signé`);
      expect(await withTenant(db, org.tenantId, (tx) => tx.deadLetter.count())).toBe(0);
    } finally {
      await worker.stop();
      await smtp.close();
      await rm(storage.root, { recursive: true, force: true });
    }
  });
});
