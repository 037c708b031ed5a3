import { withTenant } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountCredentials,
  completeMailConnection,
  connectSmtpAccount,
  decryptConnectionSecret,
  listMailConnections,
  mailKeyringFrom,
  MailConnectionUnavailable,
  newMasterKeyText,
  rotateMailKeysOfAllTenants,
  setMailSender,
  startMailConnection,
  type MailAccountsConfig,
  type TenantDeps,
} from '../src/index.ts';
import { authorizeInBrowserless, startFakeMailProviders, type FakeMailProviders } from './fake-mail-providers.ts';
import { ownerTenant, TEST_APP_URL, testDb } from './harness.ts';

const masterText = newMasterKeyText();
const keyring = mailKeyringFrom(masterText);
let providers: FakeMailProviders;
let config: MailAccountsConfig;
beforeAll(async () => {
  providers = await startFakeMailProviders(TEST_APP_URL);
  config = providers.config(keyring, TEST_APP_URL);
});
afterAll(() => providers.close());

type Run = <R>(f: (deps: TenantDeps) => Promise<R>, now?: Date) => Promise<R>;
async function connect(run: Run, provider: 'google' | 'microsoft', email: string, mailAccounts = config) {
  providers.signInAs(email);
  const { authorizeUrl } = await run((deps) => startMailConnection({ ...deps, mailAccounts }, { provider }));
  const url = new URL(authorizeUrl);
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url.searchParams.get('scope')).not.toMatch(/mail\.google\.com/);
  const answer = await authorizeInBrowserless(authorizeUrl, mailAccounts.redirectUri);
  return { answer, connection: await run((deps) => completeMailConnection({ ...deps, mailAccounts }, answer)) };
}

describe('connecting an account (authorization code + PKCE against a local authorization server)', () => {
  it('connects Google with gmail.send only and Microsoft with Mail.Send, the address from the ID token, the refresh token stored encrypted', { timeout: 30_000 }, async () => {
    const { run, owner } = await ownerTenant();
    const google = await connect(run, 'google', `g.${owner.email}`);
    expect(google.connection).toMatchObject({ provider: 'google', email: `g.${owner.email}`, status: 'active' });
    const microsoft = await connect(run, 'microsoft', `m.${owner.email}`);
    expect(microsoft.connection).toMatchObject({ provider: 'microsoft', email: `m.${owner.email}` });

    const rows = await withTenant(testDb(), owner.tenantId, (tx) => tx.mailConnection.findMany({ where: { tenantId: owner.tenantId }, orderBy: { provider: 'asc' } }));
    expect(rows.map((r) => r.scopes)).toEqual([expect.stringContaining('gmail.send'), expect.stringContaining('Mail.Send')]);
    for (const row of rows) {
      const token = await withTenant(testDb(), owner.tenantId, (tx) => decryptConnectionSecret(tx, keyring, { tenantId: owner.tenantId, userId: owner.userId, connectionId: row.id }, row.secret));
      expect(token.length).toBeGreaterThan(20);
      expect(Buffer.from(row.secret).includes(Buffer.from(token))).toBe(false);
    }
    // The state is used once: the same answer again is refused, and changes nothing.
    await expect(run((deps) => completeMailConnection({ ...deps, mailAccounts: config }, google.answer))).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const list = await run((deps) => listMailConnections({ ...deps, mailAccounts: config }));
    expect(list.connections.map((c) => c.email).sort()).toEqual([`g.${owner.email}`, `m.${owner.email}`]);
    expect(JSON.stringify(list)).not.toMatch(/secret/i);
  });

  it('refuses a state another member started, and says plainly when a provider or the key is not configured', { timeout: 30_000 }, async () => {
    const a = await ownerTenant();
    const b = await ownerTenant();
    providers.signInAs(`x.${a.owner.email}`);
    const { authorizeUrl } = await a.run((deps) => startMailConnection({ ...deps, mailAccounts: config }, { provider: 'google' }));
    const answer = await authorizeInBrowserless(authorizeUrl, config.redirectUri);
    await expect(b.run((deps) => completeMailConnection({ ...deps, mailAccounts: config }, answer))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(a.run((deps) => startMailConnection({ ...deps, mailAccounts: { ...config, microsoft: null } }, { provider: 'microsoft' }))).rejects.toThrow(/Microsoft n’est pas configurée/);
    await expect(a.run((deps) => startMailConnection({ ...deps, mailAccounts: null }, { provider: 'google' }))).rejects.toThrow(/MAIL_MASTER_KEY/);
  });
});

describe('the secrets at rest', () => {
  it('binds a ciphertext to its tenant, user and connection: copied to another row it does not decrypt', { timeout: 30_000 }, async () => {
    const { run, owner } = await ownerTenant();
    const first = await run((deps) => connectSmtpAccount({ ...deps, mailAccounts: config }, { email: `a.${owner.email}`, host: 'smtp.example.test', port: 587, secure: false, username: 'a', password: 'first-password' }));
    const second = await run((deps) => connectSmtpAccount({ ...deps, mailAccounts: config }, { email: `b.${owner.email}`, host: 'smtp.example.test', port: 587, secure: false, username: 'b', password: 'second-password' }));
    const db = testDb();
    const deps = { db, config, now: () => new Date() };
    expect(await accountCredentials(deps, owner.tenantId, first.id)).toMatchObject({ kind: 'smtp', password: 'first-password' });
    await withTenant(db, owner.tenantId, async (tx) => {
      const row = await tx.mailConnection.findUniqueOrThrow({ where: { id: first.id } });
      await tx.mailConnection.update({ where: { id: second.id }, data: { secret: row.secret } });
    });
    await expect(accountCredentials(deps, owner.tenantId, second.id)).rejects.toThrow(/does not decrypt/);
    // Another tenant's data key (same master key) does not open it either.
    const other = await ownerTenant();
    const moved = await withTenant(db, owner.tenantId, (tx) => tx.mailConnection.findUniqueOrThrow({ where: { id: first.id } }));
    await other.run((d) => connectSmtpAccount({ ...d, mailAccounts: config }, { email: `o.${other.owner.email}`, host: 'h.example.test', port: 465, secure: true, username: 'o', password: 'p' }));
    await expect(
      withTenant(db, other.owner.tenantId, (tx) => decryptConnectionSecret(tx, keyring, { tenantId: other.owner.tenantId, userId: owner.userId, connectionId: first.id }, moved.secret)),
    ).rejects.toThrow(/does not decrypt/);
  });

  it('rotates the master key and the data keys (a dry run first, which writes nothing)', { timeout: 60_000 }, async () => {
    const { run, owner } = await ownerTenant();
    const smtp = await run((deps) => connectSmtpAccount({ ...deps, mailAccounts: config }, { email: `r.${owner.email}`, host: 'smtp.example.test', port: 587, secure: false, username: 'r', password: 'rotate-me' }));
    const db = testDb();
    const before = await withTenant(db, owner.tenantId, (tx) => tx.tenantMailKey.findUniqueOrThrow({ where: { tenantId: owner.tenantId } }));
    const newText = newMasterKeyText();
    const rotated = mailKeyringFrom(newText, masterText);

    const dry = await rotateMailKeysOfAllTenants(db, rotated, { dryRun: true, dataKeys: true, now: new Date() });
    expect(dry.failures.filter((f) => f.tenantId === owner.tenantId)).toEqual([]);
    const unchanged = await withTenant(db, owner.tenantId, (tx) => tx.tenantMailKey.findUniqueOrThrow({ where: { tenantId: owner.tenantId } }));
    expect(unchanged).toEqual(before);

    const report = await rotateMailKeysOfAllTenants(db, rotated, { dryRun: false, dataKeys: true, now: new Date() });
    expect(report.failures.filter((f) => f.tenantId === owner.tenantId)).toEqual([]);
    const after = await withTenant(db, owner.tenantId, (tx) => tx.tenantMailKey.findUniqueOrThrow({ where: { tenantId: owner.tenantId } }));
    expect(after.version).toBe(before.version + 1);
    expect(after.masterKeyId).toBe(rotated.current.id);
    // The new master key alone opens it; the old one alone no longer does.
    expect(await accountCredentials({ db, config: { ...config, keyring: mailKeyringFrom(newText) }, now: () => new Date() }, owner.tenantId, smtp.id)).toMatchObject({ password: 'rotate-me' });
    await expect(accountCredentials({ db, config, now: () => new Date() }, owner.tenantId, smtp.id)).rejects.toThrow(/not configured/);
  });
});

describe('sending credentials', () => {
  it('refreshes with rotation (the new refresh token stored), and on invalid_grant marks the connection and tells its owner', { timeout: 30_000 }, async () => {
    const { run, owner } = await ownerTenant();
    const email = `rt.${owner.email}`;
    const { connection } = await connect(run, 'google', email);
    const db = testDb();
    const deps = { db, config, now: () => new Date() };
    const secretOf = () => withTenant(db, owner.tenantId, (tx) => tx.mailConnection.findUniqueOrThrow({ where: { id: connection.id } }));
    const stored = (await secretOf()).secret;
    expect(await accountCredentials(deps, owner.tenantId, connection.id)).toMatchObject({ kind: 'oauth', email });
    expect(Buffer.from((await secretOf()).secret).equals(Buffer.from(stored))).toBe(false); // rotated
    // The rotated token works again (the spent one would have been refused: reuse revokes the grant).
    expect(await accountCredentials(deps, owner.tenantId, connection.id)).toMatchObject({ kind: 'oauth' });

    providers.revoke(email);
    await expect(accountCredentials(deps, owner.tenantId, connection.id)).rejects.toBeInstanceOf(MailConnectionUnavailable);
    expect((await secretOf()).status).toBe('reauth_required');
    const notes = await withTenant(db, owner.tenantId, (tx) => tx.notification.findMany({ where: { userId: owner.userId, type: 'mail.reauth_required' } }));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain(email);
    // Not again for the next mail, and the state shows in settings.
    await expect(accountCredentials(deps, owner.tenantId, connection.id)).rejects.toBeInstanceOf(MailConnectionUnavailable);
    const list = await run((d) => listMailConnections({ ...d, mailAccounts: config }));
    expect(list.connections.find((c) => c.id === connection.id)?.status).toBe('reauth_required');
    await expect(run((d) => setMailSender({ ...d, mailAccounts: config }, { connectionId: connection.id }))).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
