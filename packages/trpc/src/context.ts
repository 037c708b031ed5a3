import type { Db } from '@crm/db';
import { verifyAccessToken, type AccessClaims, type AuthConfig, type Clock, type ClientInfo, type DocumentServices, type InvoicePlatform, type MailAccountsConfig, type NotificationSignal } from '@crm/domain';

/** Long-lived dependencies, built once per process by the API (and the same way by tests). */
export interface CrmServices {
  db: Db;
  auth: AuthConfig;
  clock: Clock;
  /** Wakes open notification streams (LISTEN crm_notifications); without it they poll every 25 s. */
  notificationSignal?: NotificationSignal | undefined;
  /** Where documents' bytes go and how large they may be (apps/api builds it from env); without it, storing fails. */
  documents?: DocumentServices | undefined;
  /** The approved e-invoicing platform (apps/api: PA_URL, PA_API_KEY); absent or null: none, submitting says so. */
  platform?: InvoicePlatform | null | undefined;
  /** The users' own mail accounts (apps/api: MAIL_MASTER_KEY, GOOGLE_OAUTH_*, MICROSOFT_OAUTH_*); absent or null: not configured, the web says so. */
  mailAccounts?: MailAccountsConfig | null | undefined;
  /** System mail readable in the app, like a development mail catcher (MAIL_CAPTURE); never in production. */
  mailCapture?: boolean | undefined;
  /** The largest client import file (`IMPORT_MAX_BYTES`); MAX_IMPORT_BYTES (100 MB) when unset. */
  importMaxBytes?: number | undefined;
  /** Told of every procedure call once it is answered (apps/api metrics): its path, type, outcome code, duration. */
  observeProcedure?: ((call: ProcedureObservation) => void) | undefined;
  /** Runs every procedure call inside `run`, told its outcome (apps/api tracing: one span per call); absent, no spans. */
  traceProcedure?: (<T>(call: ProcedureTraceCall, run: (outcome: (answer: ProcedureOutcome) => void) => Promise<T>) => Promise<T>) | undefined;
}

/** A procedure call as a trace sees it: the declared path and the caller's tenant, never its input. */
export interface ProcedureTraceCall {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  /** The verified token's active organisation, if any. */
  tenantId: string | undefined;
}

/** How a call was answered: `OK` or the tRPC error code, its HTTP status, the error (not for display: its message may hold data). */
export interface ProcedureOutcome {
  code: string;
  httpStatus: number;
  error?: unknown;
}

/** One answered procedure call, as metrics see it: never its input, ids or the caller. */
export interface ProcedureObservation {
  /** The procedure's path as declared (`clients.list`), never a URL. */
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  /** `OK` or the tRPC error code (`BAD_REQUEST`, `NOT_FOUND`...). */
  code: string;
  seconds: number;
}

/** The transport's side of a session: where the refresh token cookie is written. */
export interface SessionCookies {
  refreshToken: string | undefined;
  setRefreshToken(token: string, expiresAt: Date): void;
  clearRefreshToken(): void;
}

export interface RequestInfo {
  requestId: string;
  client: ClientInfo;
  /** The raw bearer token, if any; verified into `claims` below, never trusted as is. */
  bearer: string | undefined;
  cookies: SessionCookies;
  /** Ids that the request log line carries (tenant, user); filled in by the procedures. */
  logBindings: Record<string, string>;
  /**
   * A stream ticket (`?ticket=` of the stream's URL): the only credential a subscription takes,
   * never an access token (procedures.ts, `tenantStreamProcedure`).
   */
  streamTicket?: string | undefined;
  /**
   * Set when a subscription is refused before it streams (no ticket, a used, expired or foreign
   * one, no longer a member, bad input; procedures.ts `base`): tRPC answers subscriptions 200 with
   * an error event, so the HTTP adapter answers this status instead (apps/api/src/app.ts,
   * `responseMeta`) and EventSource stops.
   */
  streamRefusal?: { httpStatus: number } | undefined;
}

export interface CrmContext {
  services: CrmServices;
  request: RequestInfo;
  /** Claims of a verified access token, or null (no token, or an invalid one). */
  claims: AccessClaims | null;
  /** Why `claims` is null when a token was presented (expired, forged...). */
  claimsError: Error | null;
}

export async function createContext(services: CrmServices, request: RequestInfo): Promise<CrmContext> {
  if (!request.bearer) return { services, request, claims: null, claimsError: null };
  try {
    const claims = await verifyAccessToken(services.auth, request.bearer, services.clock());
    request.logBindings.userId = claims.userId;
    if (claims.tenantId) request.logBindings.tenantId = claims.tenantId;
    return { services, request, claims, claimsError: null };
  } catch (error) {
    return { services, request, claims: null, claimsError: error as Error };
  }
}
