import type { Db, Role, Tx } from '@crm/db';
import type { Clock } from './clock.ts';

/** The member acting in a tenant, established from a verified token and a membership row. */
export interface Actor {
  userId: string;
  tenantId: string;
  memberId: string;
  role: Role;
  requestId?: string | undefined;
}

/** What a use case inside a tenant receives: the tenant-scoped transaction, who acts, and when. */
export interface TenantDeps {
  tx: Tx;
  actor: Actor;
  now: Date;
}

/** What auth use cases receive: they open their own transactions (some span no tenant). */
export interface AuthDeps {
  db: Db;
  auth: AuthConfig;
  clock: Clock;
}

/** The request facts auth records against a session (never trusted for authorisation). */
export interface ClientInfo {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/** How tokens and account links are made (auth/tokens.ts uses it; the apps build it from their env). */
export interface AuthConfig {
  /** HMAC key for access tokens, at least 32 bytes. */
  secret: Uint8Array;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  invitationTtlDays: number;
  emailVerificationTtlHours: number;
  /** The web app's public URL, for the links of account mail (e.g. https://crm.example.fr). */
  appUrl: string;
}
