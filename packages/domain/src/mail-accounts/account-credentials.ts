import { withTenant, type Db, type Tx } from '@crm/db';
import type { MailAccountsConfig, OAuthProviderName } from './mail-accounts-env.ts';
import { InvalidGrantError, refreshAccessToken } from './oauth-client.ts';
import { decryptConnectionSecret, encryptConnectionSecret, type MailKeyring } from './secret-box.ts';

/** Why a connected account cannot send now; the mail waits (retried) until its owner acts. */
export class MailConnectionUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailConnectionUnavailable';
  }
}

/** What a transport needs to send through an account; the secret only in memory, never logged. */
export type AccountCredentials =
  | { kind: 'oauth'; connectionId: string; provider: OAuthProviderName; email: string; accessToken: string; expiresAt: number; apiUrl: string }
  | { kind: 'smtp'; connectionId: string; provider: 'smtp'; email: string; host: string; port: number; secure: boolean; username: string; password: string };

const connectionSelect = { id: true, tenantId: true, userId: true, provider: true, email: true, status: true, secret: true, smtpHost: true, smtpPort: true, smtpSecure: true, smtpUsername: true } as const;

/**
 * The credentials of a tenant's connection for the worker's sender. For OAuth accounts a fresh
 * access token is asked for with the stored refresh token, under a row lock (replicas refreshing
 * at once would spend a rotating token twice, which the provider treats as theft); a rotated
 * refresh token replaces the stored one in the same transaction. `invalid_grant` marks the
 * connection `reauth_required` and tells its owner (in-app), then MailConnectionUnavailable.
 */
export async function accountCredentials(
  deps: { db: Db; config: MailAccountsConfig; now: () => Date },
  tenantId: string,
  connectionId: string,
): Promise<AccountCredentials> {
  const { config } = deps;
  const keyring = config.keyring;
  if (!keyring) throw new MailConnectionUnavailable('mail accounts are not configured on this worker (MAIL_MASTER_KEY)');
  const outcome = await withTenant(deps.db, tenantId, async (tx): Promise<{ unavailable: string } | { credentials: AccountCredentials }> => {
    await tx.$executeRaw`SELECT 1 FROM mail_connections WHERE tenant_id = ${tenantId}::uuid AND id = ${connectionId}::uuid FOR UPDATE`;
    const connection = await tx.mailConnection.findFirst({ where: { id: connectionId, tenantId }, select: connectionSelect });
    if (!connection) return { unavailable: 'the sending account was disconnected' };
    if (connection.status !== 'active') return { unavailable: `the sending account ${connection.email} must be connected again by its owner` };
    const ref = { tenantId, userId: connection.userId, connectionId };
    const secret = await decryptConnectionSecret(tx, keyring, ref, connection.secret);
    if (connection.provider === 'smtp') {
      return {
        credentials: { kind: 'smtp', connectionId, provider: 'smtp', email: connection.email, host: connection.smtpHost!, port: connection.smtpPort!, secure: connection.smtpSecure!, username: connection.smtpUsername ?? connection.email, password: secret } satisfies AccountCredentials,
      };
    }
    const providerName = connection.provider as OAuthProviderName;
    const provider = config[providerName];
    if (!provider) return { unavailable: `${providerName} is not configured on this worker` };
    try {
      const tokens = await refreshAccessToken(provider, secret, config.fetch);
      const now = deps.now();
      if (tokens.refreshToken && tokens.refreshToken !== secret) {
        const sealed = await encryptConnectionSecret(tx, keyring, ref, tokens.refreshToken);
        await tx.mailConnection.update({ where: { id: connectionId }, data: { ...sealed, updatedAt: now } });
      }
      await tx.mailConnection.update({ where: { id: connectionId }, data: { lastUsedAt: now, lastError: null } });
      return {
        credentials: { kind: 'oauth', connectionId, provider: providerName, email: connection.email, accessToken: tokens.accessToken, expiresAt: now.getTime() + tokens.expiresInSeconds * 1000, apiUrl: provider.apiUrl } satisfies AccountCredentials,
      };
    } catch (error) {
      if (!(error instanceof InvalidGrantError)) throw error;
      await markReauthRequired(tx, { tenantId, userId: connection.userId, connectionId, email: connection.email }, deps.now());
      return { unavailable: `the provider refused the refresh token of ${connection.email} (invalid_grant): marked for re-authorisation` };
    }
  });
  if ('unavailable' in outcome) throw new MailConnectionUnavailable(outcome.unavailable);
  return outcome.credentials;
}

/** The connection needs its owner to connect it again; the owner is told in the app, once. */
export async function markReauthRequired(tx: Tx, c: { tenantId: string; userId: string; connectionId: string; email: string }, now: Date): Promise<void> {
  const marked = await tx.mailConnection.updateMany({
    where: { id: c.connectionId, tenantId: c.tenantId, status: 'active' },
    data: { status: 'reauth_required', lastError: 'Autorisation refusée par le fournisseur : reconnectez le compte', updatedAt: now },
  });
  if (marked.count === 0) return;
  await tx.notification.create({
    data: {
      tenantId: c.tenantId,
      userId: c.userId,
      type: 'mail.reauth_required',
      title: 'Compte de messagerie à reconnecter',
      body: `Le fournisseur n’accepte plus l’autorisation donnée pour ${c.email}. Les courriers qu’il devait envoyer attendent : reconnectez-le dans Paramètres > Messagerie.`,
      link: '/parametres/messagerie',
      createdAt: now,
    },
  });
}

export type { MailKeyring };
