import { createHash, randomBytes } from 'node:crypto';
import { newId } from '@crm/db';
import { can } from '../access/permissions.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { MAIL_CONNECT_RETURN_PATH, OAUTH_SCOPES, type MailAccountsConfig, type OAuthProviderName } from './mail-accounts-env.ts';
import type { TCompleteMailConnectionInput, TConnectSmtpAccountInput, TMailConnectionIdInput, TSetMailSenderInput, TStartMailConnectionInput } from './mail-accounts.schema.ts';
import { emailFromIdToken, exchangeAuthorizationCode, InvalidGrantError, OAuthTokenError } from './oauth-client.ts';
import { encryptConnectionSecret } from './secret-box.ts';

export type MailAccountsDeps = TenantDeps & { mailAccounts: MailAccountsConfig | null };

const REQUEST_TTL_MS = 10 * 60 * 1000;
const PROVIDER_LABELS: Record<OAuthProviderName, string> = { google: 'Google', microsoft: 'Microsoft' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function keyringOf(deps: MailAccountsDeps) {
  const keyring = deps.mailAccounts?.keyring;
  if (!keyring) throw badRequest('La connexion de comptes de messagerie n’est pas configurée sur ce serveur (clé de chiffrement MAIL_MASTER_KEY absente)');
  return keyring;
}

function providerOf(deps: MailAccountsDeps, provider: OAuthProviderName) {
  const config = deps.mailAccounts?.[provider];
  if (!config) throw badRequest(`La connexion d’un compte ${PROVIDER_LABELS[provider]} n’est pas configurée sur ce serveur`, { provider: ['Non configuré'] });
  return config;
}

/** A connection as settings show it: never its secret. */
const CONNECTION_VIEW = { id: true, userId: true, provider: true, email: true, status: true, smtpHost: true, smtpPort: true, lastError: true, lastUsedAt: true, createdAt: true } as const;

/**
 * `mailAccounts.list`: the member's own accounts, which providers this server offers, and the
 * organisation's sender of automated mail; for those who set it (organisation.write), every
 * active account of the organisation it may be.
 */
export async function listMailConnections(deps: MailAccountsDeps) {
  const { tx, actor } = deps;
  const options = { canSetSender: can(actor.role, 'organisation.write') };
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { mailSenderConnectionId: true } });
  const rows = await tx.mailConnection.findMany({
    where: {
      tenantId: actor.tenantId,
      ...(options.canSetSender ? {} : { OR: [{ userId: actor.userId }, ...(organisation.mailSenderConnectionId ? [{ id: organisation.mailSenderConnectionId }] : [])] }),
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: CONNECTION_VIEW,
  });
  const users = await tx.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.userId))] } }, select: { id: true, name: true } });
  const view = (r: (typeof rows)[number]) => ({
    id: r.id,
    provider: r.provider as 'google' | 'microsoft' | 'smtp',
    email: r.email,
    status: r.status as 'active' | 'reauth_required',
    smtpHost: r.smtpHost,
    smtpPort: r.smtpPort,
    lastError: r.lastError,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    mine: r.userId === actor.userId,
    ownerName: users.find((u) => u.id === r.userId)?.name ?? null,
    isSender: r.id === organisation.mailSenderConnectionId,
  });
  return {
    available: {
      encryption: Boolean(deps.mailAccounts?.keyring),
      google: Boolean(deps.mailAccounts?.google),
      microsoft: Boolean(deps.mailAccounts?.microsoft),
    },
    returnPath: MAIL_CONNECT_RETURN_PATH,
    connections: rows.filter((r) => r.userId === actor.userId).map(view),
    sender: { connectionId: organisation.mailSenderConnectionId, canSet: options.canSetSender },
    senderChoices: options.canSetSender ? rows.filter((r) => r.status === 'active' || r.id === organisation.mailSenderConnectionId).map(view) : [],
  };
}

/**
 * `mailAccounts.startConnection`: the provider's authorize URL (authorization code + PKCE S256,
 * send-only scopes). The state (its hash) and the verifier stay here, bound to this member, for
 * ten minutes.
 */
export async function startMailConnection(deps: MailAccountsDeps, input: TStartMailConnectionInput) {
  keyringOf(deps);
  const provider = providerOf(deps, input.provider);
  const { tx, actor, now } = deps;
  const state = randomBytes(32).toString('base64url');
  const codeVerifier = randomBytes(48).toString('base64url');
  await tx.mailConnectionRequest.deleteMany({ where: { tenantId: actor.tenantId, userId: actor.userId, expiresAt: { lt: now } } });
  await tx.mailConnectionRequest.create({
    data: { id: newId(), tenantId: actor.tenantId, userId: actor.userId, provider: input.provider, stateHash: sha256(state), codeVerifier, expiresAt: new Date(now.getTime() + REQUEST_TTL_MS) },
  });
  const url = new URL(provider.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: provider.clientId,
    redirect_uri: deps.mailAccounts!.redirectUri,
    scope: OAUTH_SCOPES[input.provider],
    state,
    code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
    // Google gives a refresh token only with offline access, and again only on consent.
    ...(input.provider === 'google' ? { access_type: 'offline', prompt: 'consent' } : {}),
  }).toString();
  return { authorizeUrl: url.toString() };
}

/**
 * `mailAccounts.completeConnection`: the return page's code and state. The state must be one
 * this member started here, unexpired, and is used up; the code is exchanged (with the PKCE
 * verifier) for tokens, of which only the refresh token is kept, encrypted. The account's
 * address comes from the ID token. Connecting the same address again replaces its token and
 * makes it active again (the way out of `reauth_required`).
 */
export async function completeMailConnection(deps: MailAccountsDeps, input: TCompleteMailConnectionInput) {
  const keyring = keyringOf(deps);
  const { tx, actor, now } = deps;
  const request = await tx.mailConnectionRequest.findFirst({ where: { tenantId: actor.tenantId, stateHash: sha256(input.state) } });
  // Another member's request answers like none: a state is not transferable.
  if (!request || request.userId !== actor.userId || request.expiresAt <= now) throw badRequest('Demande de connexion inconnue ou expirée : recommencez depuis Paramètres > Messagerie', { state: ['Inconnue ou expirée'] });
  await tx.mailConnectionRequest.delete({ where: { id: request.id } });
  const providerName = request.provider as OAuthProviderName;
  const provider = providerOf(deps, providerName);
  let tokens;
  try {
    tokens = await exchangeAuthorizationCode(provider, { code: input.code, codeVerifier: request.codeVerifier, redirectUri: deps.mailAccounts!.redirectUri }, deps.mailAccounts?.fetch);
  } catch (error) {
    if (error instanceof InvalidGrantError) throw badRequest('Le fournisseur a refusé l’autorisation (code expiré ou déjà utilisé) : recommencez', { code: ['Refusé'] });
    if (error instanceof OAuthTokenError) throw conflict(`Le fournisseur ${PROVIDER_LABELS[providerName]} a refusé l’échange (${error.status}) : réessayez plus tard`);
    throw error;
  }
  if (!tokens.refreshToken) throw conflict(`${PROVIDER_LABELS[providerName]} n’a pas accordé d’accès hors connexion : recommencez en acceptant toutes les autorisations demandées`);
  const email = emailFromIdToken(tokens.idToken);
  if (!email) throw conflict(`${PROVIDER_LABELS[providerName]} n’a pas indiqué l’adresse du compte : recommencez en acceptant de partager votre adresse`);
  const existing = await tx.mailConnection.findUnique({ where: { tenantId_userId_provider_email: { tenantId: actor.tenantId, userId: actor.userId, provider: providerName, email } }, select: { id: true } });
  const id = existing?.id ?? newId();
  const sealed = await encryptConnectionSecret(tx, keyring, { tenantId: actor.tenantId, userId: actor.userId, connectionId: id }, tokens.refreshToken);
  const scopes = tokens.scope ?? OAUTH_SCOPES[providerName];
  const saved = existing
    ? await tx.mailConnection.update({ where: { id }, data: { ...sealed, scopes, status: 'active', lastError: null, updatedAt: now }, select: CONNECTION_VIEW })
    : await tx.mailConnection.create({ data: { id, tenantId: actor.tenantId, userId: actor.userId, provider: providerName, email, scopes, ...sealed, createdAt: now, updatedAt: now }, select: CONNECTION_VIEW });
  return { id: saved.id, provider: providerName, email: saved.email, status: 'active' as const };
}

/** `mailAccounts.connectSmtp`: a plain SMTP account; its password is stored encrypted only. */
export async function connectSmtpAccount(deps: MailAccountsDeps, input: TConnectSmtpAccountInput) {
  const keyring = keyringOf(deps);
  const { tx, actor, now } = deps;
  const existing = await tx.mailConnection.findUnique({ where: { tenantId_userId_provider_email: { tenantId: actor.tenantId, userId: actor.userId, provider: 'smtp', email: input.email } }, select: { id: true } });
  const id = existing?.id ?? newId();
  const sealed = await encryptConnectionSecret(tx, keyring, { tenantId: actor.tenantId, userId: actor.userId, connectionId: id }, input.password);
  const data = { ...sealed, smtpHost: input.host.toLowerCase(), smtpPort: input.port, smtpSecure: input.secure, smtpUsername: input.username, status: 'active', lastError: null, updatedAt: now };
  if (existing) await tx.mailConnection.update({ where: { id }, data });
  else await tx.mailConnection.create({ data: { id, tenantId: actor.tenantId, userId: actor.userId, provider: 'smtp', email: input.email, ...data, createdAt: now } });
  return { id, provider: 'smtp' as const, email: input.email, status: 'active' as const };
}

/** `mailAccounts.disconnect`: the member's own account, secret and all; the sender falls back to the system's. */
export async function disconnectMailConnection(deps: MailAccountsDeps, input: TMailConnectionIdInput) {
  const { tx, actor } = deps;
  const removed = await tx.mailConnection.deleteMany({ where: { id: input.connectionId, tenantId: actor.tenantId, userId: actor.userId } });
  if (removed.count === 0) throw notFound('Compte de messagerie');
  return { disconnected: true };
}

/** `mailAccounts.setSender`: which active account of the organisation sends its automated mail; null for the system sender. */
export async function setMailSender(deps: MailAccountsDeps, input: TSetMailSenderInput) {
  const { tx, actor } = deps;
  if (input.connectionId) {
    const connection = await tx.mailConnection.findFirst({ where: { id: input.connectionId, tenantId: actor.tenantId }, select: { status: true } });
    if (!connection) throw notFound('Compte de messagerie');
    if (connection.status !== 'active') throw conflict('Ce compte doit d’abord être reconnecté', { connectionId: ['À reconnecter'] });
  }
  await tx.organisation.update({ where: { id: actor.tenantId }, data: { mailSenderConnectionId: input.connectionId } });
  return { connectionId: input.connectionId };
}
