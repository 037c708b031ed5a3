import { z } from 'zod';
import { mailKeyringFrom, type MailKeyring } from './secret-box.ts';

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const url = (example: string) => z.url({ protocol: /^https?$/, error: `must be a URL, e.g. ${example}` });

/**
 * The users' own mail accounts, in the API's and the worker's env (both: the API connects, the
 * worker sends). Without MAIL_MASTER_KEY no account can be connected (the web says so); without
 * a provider's client id, that provider is not offered.
 */
export const MAIL_ACCOUNTS_ENV = {
  MAIL_MASTER_KEY: optional(z.string().min(40, 'must be 32 random bytes in base64, e.g. `openssl rand -base64 32`')),
  MAIL_MASTER_KEY_PREVIOUS: optional(z.string()),
  GOOGLE_OAUTH_CLIENT_ID: optional(z.string().min(1)),
  GOOGLE_OAUTH_CLIENT_SECRET: optional(z.string().min(1)),
  GOOGLE_OAUTH_AUTHORIZE_URL: url('https://accounts.google.com/o/oauth2/v2/auth').default('https://accounts.google.com/o/oauth2/v2/auth'),
  GOOGLE_OAUTH_TOKEN_URL: url('https://oauth2.googleapis.com/token').default('https://oauth2.googleapis.com/token'),
  GMAIL_API_URL: url('https://gmail.googleapis.com').default('https://gmail.googleapis.com'),
  MICROSOFT_OAUTH_CLIENT_ID: optional(z.string().min(1)),
  MICROSOFT_OAUTH_CLIENT_SECRET: optional(z.string().min(1)),
  MICROSOFT_OAUTH_AUTHORIZE_URL: url('https://login.microsoftonline.com/common/oauth2/v2.0/authorize').default('https://login.microsoftonline.com/common/oauth2/v2.0/authorize'),
  MICROSOFT_OAUTH_TOKEN_URL: url('https://login.microsoftonline.com/common/oauth2/v2.0/token').default('https://login.microsoftonline.com/common/oauth2/v2.0/token'),
  GRAPH_API_URL: url('https://graph.microsoft.com/v1.0').default('https://graph.microsoft.com/v1.0'),
};
export type MailAccountsEnv = z.infer<z.ZodObject<typeof MAIL_ACCOUNTS_ENV>>;

export type OAuthProviderName = 'google' | 'microsoft';

/** One OAuth provider: where to send the user, where to exchange and refresh, and its API. */
export interface MailOAuthProvider {
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** Gmail API base (google) or Graph base (microsoft). */
  apiUrl: string;
}

/** What connecting and sending accounts need; absent parts are "not configured". */
export interface MailAccountsConfig {
  keyring: MailKeyring | null;
  google: MailOAuthProvider | null;
  microsoft: MailOAuthProvider | null;
  /** The web page the provider sends the user back to (`<app>/parametres/messagerie/retour`). */
  redirectUri: string;
  /** HTTP to the providers (tests: fakes are real servers, this stays the global fetch). */
  fetch?: typeof fetch | undefined;
}

/** The scopes asked for: sending only, never the full-mailbox scope. */
export const OAUTH_SCOPES: Record<OAuthProviderName, string> = {
  google: 'openid email https://www.googleapis.com/auth/gmail.send',
  microsoft: 'openid email offline_access Mail.Send',
};

export const MAIL_CONNECT_RETURN_PATH = '/parametres/messagerie/retour';

export function mailAccountsConfigFrom(env: MailAccountsEnv, appUrl: string): MailAccountsConfig {
  return {
    keyring: env.MAIL_MASTER_KEY ? mailKeyringFrom(env.MAIL_MASTER_KEY, env.MAIL_MASTER_KEY_PREVIOUS) : null,
    google: env.GOOGLE_OAUTH_CLIENT_ID
      ? { authorizeUrl: env.GOOGLE_OAUTH_AUTHORIZE_URL, tokenUrl: env.GOOGLE_OAUTH_TOKEN_URL, clientId: env.GOOGLE_OAUTH_CLIENT_ID, clientSecret: env.GOOGLE_OAUTH_CLIENT_SECRET, apiUrl: env.GMAIL_API_URL }
      : null,
    microsoft: env.MICROSOFT_OAUTH_CLIENT_ID
      ? { authorizeUrl: env.MICROSOFT_OAUTH_AUTHORIZE_URL, tokenUrl: env.MICROSOFT_OAUTH_TOKEN_URL, clientId: env.MICROSOFT_OAUTH_CLIENT_ID, clientSecret: env.MICROSOFT_OAUTH_CLIENT_SECRET, apiUrl: env.GRAPH_API_URL }
      : null,
    redirectUri: `${appUrl.replace(/\/$/, '')}${MAIL_CONNECT_RETURN_PATH}`,
  };
}
