import type { MailOAuthProvider } from './mail-accounts-env.ts';

/** The provider refused the refresh token (revoked, expired, password changed): the owner must connect again. */
export class InvalidGrantError extends Error {
  constructor() {
    super('the provider refused the refresh token (invalid_grant): the account must be connected again');
    this.name = 'InvalidGrantError';
  }
}

/** Any other failure of the token endpoint: its status and OAuth error code only, never the body's tokens. */
export class OAuthTokenError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`token endpoint answered ${status}${code ? ` (${code})` : ''}`);
    this.name = 'OAuthTokenError';
  }
}

export interface TokenAnswer {
  accessToken: string;
  expiresInSeconds: number;
  /** A new refresh token when the provider rotates it (it must replace the stored one). */
  refreshToken: string | null;
  idToken: string | null;
  scope: string | null;
}

async function tokenRequest(provider: MailOAuthProvider, params: Record<string, string>, fetchFn: typeof fetch): Promise<TokenAnswer> {
  const body = new URLSearchParams({ ...params, client_id: provider.clientId });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  // A confidential client authenticates with HTTP Basic (RFC 6749 §2.3.1); a public one sends only its id.
  if (provider.clientSecret) {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(provider.clientId)}:${encodeURIComponent(provider.clientSecret)}`).toString('base64')}`;
  }
  const response = await fetchFn(provider.tokenUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(20_000) });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const code = typeof answer.error === 'string' ? answer.error : '';
    if (code === 'invalid_grant') throw new InvalidGrantError();
    throw new OAuthTokenError(response.status, code);
  }
  if (typeof answer.access_token !== 'string') throw new OAuthTokenError(response.status, 'no_access_token');
  return {
    accessToken: answer.access_token,
    expiresInSeconds: typeof answer.expires_in === 'number' ? answer.expires_in : 3600,
    refreshToken: typeof answer.refresh_token === 'string' ? answer.refresh_token : null,
    idToken: typeof answer.id_token === 'string' ? answer.id_token : null,
    scope: typeof answer.scope === 'string' ? answer.scope : null,
  };
}

/** The authorization code (with its PKCE verifier) for tokens. */
export const exchangeAuthorizationCode = (provider: MailOAuthProvider, input: { code: string; codeVerifier: string; redirectUri: string }, fetchFn: typeof fetch = fetch) =>
  tokenRequest(provider, { grant_type: 'authorization_code', code: input.code, code_verifier: input.codeVerifier, redirect_uri: input.redirectUri }, fetchFn);

/** A fresh access token from the refresh token; InvalidGrantError when the provider no longer accepts it. */
export const refreshAccessToken = (provider: MailOAuthProvider, refreshToken: string, fetchFn: typeof fetch = fetch) =>
  tokenRequest(provider, { grant_type: 'refresh_token', refresh_token: refreshToken }, fetchFn);

/**
 * The address of the account from the ID token the token endpoint just returned over TLS (OpenID
 * Connect Core §3.1.3.7 allows trusting that channel instead of the signature).
 */
export function emailFromIdToken(idToken: string | null): string | null {
  const payload = idToken?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const email = [claims.email, claims.preferred_username, claims.upn].find((v): v is string => typeof v === 'string' && v.includes('@'));
    return email?.toLowerCase() ?? null;
  } catch {
    return null;
  }
}
