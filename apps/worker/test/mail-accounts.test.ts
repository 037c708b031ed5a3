import { randomUUID } from 'node:crypto';
import { withTenant, type Db } from '@crm/db';
import type { TestDatabase } from '@crm/db/testing';
import {
  completeMailConnection,
  connectSmtpAccount,
  mailKeyringFrom,
  newMasterKeyText,
  queueTenantMail,
  setMailSender,
  startMailConnection,
  type Actor,
  type AuthDeps,
  type MailAccountsConfig,
  type TenantDeps,
} from '@crm/domain';
import { authorizeInBrowserless, startFakeMailProviders, type FakeMailProviders } from '@crm/domain/testing/mail-providers';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../tooling/test/free-port.ts';
import { AccountMailSender } from '../src/effects/account-transports.ts';
import { EffectSender } from '../src/effects/effect-sender.ts';
import { captureTransport } from '../src/effects/transports.ts';
import { newOrganisation, ownDatabase, silent } from './support.ts';

// The tenants' mail through the organisation's chosen account (issue 15 §2): the effect sender
// routes each claimed row by the organisation's sender setting to the Gmail API, Graph or the
// account's SMTP server (local fakes that check the requests as the real APIs do), the From
// being the account; the system transport otherwise.

const APP_URL = 'http://web.example.test';
let database: TestDatabase;
let db: Db;
let deps: AuthDeps;
let providers: FakeMailProviders;
let config: MailAccountsConfig;
const keyring = mailKeyringFrom(newMasterKeyText());
beforeAll(async () => {
  ({ database, db, deps } = await ownDatabase('crm_mailacc'));
  providers = await startFakeMailProviders(APP_URL);
  config = providers.config(keyring, APP_URL);
}, 60_000);
afterAll(async () => {
  await providers.close();
  await db.$disconnect();
  await database.drop();
});

async function organisation() {
  const account = await newOrganisation(deps);
  const tenantId = account.tenantId;
  const member = await withTenant(db, tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: account.userId } }));
  const actor: Actor = { userId: account.userId, tenantId, memberId: member.id, role: 'owner' };
  const run = <R>(f: (d: TenantDeps) => Promise<R>) => withTenant(db, tenantId, (tx) => f({ tx, actor, now: new Date() }));
  return { tenantId, run };
}

async function connectOAuth(org: Awaited<ReturnType<typeof organisation>>, provider: 'google' | 'microsoft', email: string) {
  providers.signInAs(email);
  const { authorizeUrl } = await org.run((d) => startMailConnection({ ...d, mailAccounts: config }, { provider }));
  const answer = await authorizeInBrowserless(authorizeUrl, config.redirectUri);
  const connection = await org.run((d) => completeMailConnection({ ...d, mailAccounts: config }, answer));
  await org.run((d) => setMailSender({ ...d, mailAccounts: config }, { connectionId: connection.id }));
  return connection;
}

const queue = (tenantId: string, recipient: string, html: string | null = null) => {
  const key = randomUUID();
  return withTenant(db, tenantId, async (tx) => {
    await queueTenantMail(tx, tenantId, { recipient, template: 'test', subject: 'Votre facture', textBody: 'Bonjour,\nVoici votre facture.', htmlBody: html, idempotencyKey: key });
    return tx.outgoingEffect.findFirstOrThrow({ where: { idempotencyKey: key } });
  });
};
const row = (tenantId: string, id: string) => withTenant(db, tenantId, (tx) => tx.outgoingEffect.findUniqueOrThrow({ where: { id } }));
const sender = (smtpTls?: { rejectUnauthorized: boolean }) =>
  new EffectSender({ db, transport: captureTransport('CRM <no-reply@crm.example.test>'), accountSender: new AccountMailSender({ db, config, smtpTls }), log: silent, retryBaseMs: 50, pollMs: 50 });

describe('tenant mail through the organisation’s connected account', () => {
  it('sends through the Gmail API as the connected account (raw RFC 822), and through Graph sendMail', { timeout: 60_000 }, async () => {
    const org = await organisation();
    const gmailAccount = `gm.${randomUUID().slice(0, 8)}@example.test`;
    await connectOAuth(org, 'google', gmailAccount);
    const viaGmail = await queue(org.tenantId, 'client.a@example.test', '<p>Bonjour</p>');
    await sender().drainOnce();
    const gmailRow = await row(org.tenantId, viaGmail.id);
    expect(gmailRow).toMatchObject({ status: 'sent', transport: 'account:google' });
    expect(gmailRow.providerMessageId).toMatch(/^gmail:gm\d+$/);
    const gmail = providers.sent.find((s) => s.api === 'gmail' && s.account === gmailAccount)!;
    expect(gmail.raw).toMatch(new RegExp(`^From: ${gmailAccount.replace('.', '\\.')}`, 'im'));
    expect(gmail.raw).toMatch(/^To: client\.a@example\.test/im);
    expect(gmail.raw).toMatch(/multipart\/alternative/);

    const outlookAccount = `ms.${randomUUID().slice(0, 8)}@example.test`;
    await connectOAuth(org, 'microsoft', outlookAccount);
    const viaGraph = await queue(org.tenantId, 'client.b@example.test', '<p>Bonjour &amp; bienvenue</p>');
    await sender().drainOnce();
    expect(await row(org.tenantId, viaGraph.id)).toMatchObject({ status: 'sent', transport: 'account:microsoft' });
    const graph = providers.sent.find((s) => s.api === 'graph' && s.account === outlookAccount)!;
    expect(graph.message).toMatchObject({ subject: 'Votre facture', body: { contentType: 'HTML', content: '<p>Bonjour &amp; bienvenue</p>' }, toRecipients: [{ emailAddress: { address: 'client.b@example.test' } }] });
    expect(providers.refused).toEqual([]);

    // Back to the system sender: the system transport again.
    await org.run((d) => setMailSender({ ...d, mailAccounts: config }, { connectionId: null }));
    const viaSystem = await queue(org.tenantId, 'client.c@example.test');
    await sender().drainOnce();
    expect(await row(org.tenantId, viaSystem.id)).toMatchObject({ status: 'sent', transport: 'capture' });
  });

  it('keeps the mail waiting (retried, its error shown) when the account must be re-authorised', { timeout: 60_000 }, async () => {
    const org = await organisation();
    const account = `rv.${randomUUID().slice(0, 8)}@example.test`;
    const connection = await connectOAuth(org, 'google', account);
    providers.revoke(account);
    const mail = await queue(org.tenantId, 'client.d@example.test');
    await sender().drainOnce();
    const after = await row(org.tenantId, mail.id);
    expect(after.status).toBe('queued');
    expect(after.lastError).toMatch(/MailConnectionUnavailable.*re-authorisation/);
    expect(await withTenant(db, org.tenantId, (tx) => tx.mailConnection.findUniqueOrThrow({ where: { id: connection.id } }))).toMatchObject({ status: 'reauth_required' });
  });

  it('sends through the account’s own SMTP server, authenticated, over STARTTLS, From the account', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const received: { from: string; user: string; raw: string }[] = [];
    const server = new SMTPServer({
      logger: false,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, callback) {
        if (auth.username === 'compta' && auth.password === 'smtp-pass-9') return callback(null, { user: auth.username });
        return callback(new Error('Invalid username or password'));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', user: String(session.user), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const org = await organisation();
      const account = `smtp.${randomUUID().slice(0, 8)}@example.test`;
      const connection = await org.run((d) => connectSmtpAccount({ ...d, mailAccounts: config }, { email: account, host: '127.0.0.1', port, secure: false, username: 'compta', password: 'smtp-pass-9' }));
      await org.run((d) => setMailSender({ ...d, mailAccounts: config }, { connectionId: connection.id }));
      const mail = await queue(org.tenantId, 'client.e@example.test');
      await sender({ rejectUnauthorized: false }).drainOnce();
      expect(await row(org.tenantId, mail.id)).toMatchObject({ status: 'sent', transport: 'account:smtp' });
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ from: account, user: 'compta' });
      expect(received[0]!.raw).toMatch(new RegExp(`^From: ${account.replace(/\./g, '\\.')}`, 'im'));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
