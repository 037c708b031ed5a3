import { withMember } from '@crm/db';
import { consumeStreamTicket, type AccessGrant, type AuthDeps, type IssuedSession, type Permission, type StreamPurpose, type TenantDeps } from '@crm/domain';
import { actorFrom, resolveActorOnce } from './actor.ts';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { CrmContext, ProcedureOutcome } from './context.ts';
import { toTRPCError } from './errors.ts';
import { t } from './init.ts';

export const router = t.router;

// Every procedure passes through here: domain and database errors become API errors. A
// subscription refused before it streams (no or a spent ticket, not a member, bad input) has its
// status recorded: tRPC would answer 200 with an error event, the HTTP adapter answers this one.
// Each call is timed for metrics (`observeProcedure`; a subscription until it starts streaming)
// and, with tracing on, runs inside its span (`traceProcedure`).
const base = t.procedure.use(({ ctx, type, path, next }) => {
  const call = async (outcome?: (answer: ProcedureOutcome) => void) => {
    const started = performance.now();
    const observe = (code: string) => ctx.services.observeProcedure?.({ path, type, code, seconds: (performance.now() - started) / 1000 });
    const result = await next();
    if (result.ok) {
      observe('OK');
      outcome?.({ code: 'OK', httpStatus: 200 });
      return result;
    }
    const error = toTRPCError(result.error);
    observe(error.code);
    const httpStatus = getHTTPStatusCodeFromError(error);
    outcome?.({ code: error.code, httpStatus, error: error.cause ?? error });
    if (type === 'subscription') ctx.request.streamRefusal = { httpStatus };
    throw error;
  };
  const traced = ctx.services.traceProcedure;
  return traced ? traced({ path, type, tenantId: ctx.claims?.tenantId ?? undefined }, call) : call();
});

function requireClaims(ctx: CrmContext) {
  if (!ctx.claims) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: ctx.claimsError?.message ?? 'Authentification requise',
    });
  }
  return ctx.claims;
}

const authDeps = (ctx: CrmContext): AuthDeps => ({ db: ctx.services.db, auth: ctx.services.auth, clock: ctx.services.clock });

/** Reachable without a token: health, sign-up, login, refresh, invitations. Nothing else. */
export const publicProcedure = base.meta({ access: 'public' }).use(({ ctx, next }) => next({ ctx: { auth: authDeps(ctx) } }));

/**
 * Public procedures that open a session: the refresh token goes to the httpOnly cookie and
 * only the access token is returned in the body.
 */
export const sessionProcedure = publicProcedure.use(({ ctx, next }) =>
  next({
    ctx: {
      issue: async (session: Promise<IssuedSession>): Promise<AccessGrant> => {
        const { refresh, ...grant } = await session;
        ctx.request.cookies.setRefreshToken(refresh.token, refresh.expiresAt);
        return grant;
      },
    },
  }),
);

/** Any signed-in user, in no particular organisation. */
export const authedProcedure = base
  .meta({ access: 'authenticated' })
  .use(({ ctx, next }) => next({ ctx: { claims: requireClaims(ctx), auth: authDeps(ctx) } }));

/**
 * A member of the token's active organisation holding `permission`. The whole procedure runs
 * in one transaction under row-level security for that tenant; a failed procedure rolls it
 * back. Membership and role are read from the database on every call, so a removed member
 * or a changed role takes effect at once, not when the token expires.
 */
const tenantGuard = t.middleware(async ({ ctx, meta, next }) => {
  const claims = requireClaims(ctx);
  const permission = meta?.access as Permission | undefined;
  if (!permission || permission === ('public' as string) || permission === ('authenticated' as string)) {
    throw new Error('tenant procedure without a permission'); // fail closed: a wiring bug, not a user error
  }
  const tenantId = claims.tenantId;
  if (!tenantId) throw new TRPCError({ code: 'FORBIDDEN', message: 'Aucune organisation active' });
  return withMember(ctx.services.db, tenantId, claims.userId, async (tx, member) => {
    const actor = actorFrom(member, claims, permission, ctx.request.requestId);
    const deps: TenantDeps = { tx, now: ctx.services.clock(), actor };
    const result = await next({ ctx: { deps, claims, auth: authDeps(ctx) } });
    if (!result.ok) throw result.error; // roll the transaction back
    return result;
  }, { timeoutMs: meta?.timeoutMs });
});

export const tenantProcedure = {
  access: (permission: Permission, options: { timeoutMs?: number } = {}) => base.meta({ access: permission, ...options }).use(tenantGuard),
};

/**
 * For subscriptions, which outlive any transaction. EventSource sends no headers, so a stream's
 * credential is in its URL: a single-use stream ticket (`?ticket=`, asked for by a procedure just
 * before connecting, valid beside its session's refresh cookie only), never an access token,
 * which a proxy's or server's log would keep and anyone reading it could replay. The ticket is
 * used up here; membership and permission are then checked in a short transaction, and the
 * stream opens its own short transactions. A refusal is answered with its status (401/403, see
 * `base`), so EventSource stops and nothing streams.
 */
const tenantStreamGuard = t.middleware(async ({ ctx, meta, next }) => {
  const purpose = meta?.streamPurpose;
  const ticket = ctx.request.streamTicket;
  if (!purpose) throw new Error('stream procedure without a purpose'); // fail closed: a wiring bug
  if (!ticket) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Ticket de connexion au flux requis' });
  const holder = await consumeStreamTicket(
    { db: ctx.services.db, clock: ctx.services.clock },
    { ticket, purpose, refreshToken: ctx.request.cookies.refreshToken },
  );
  if (!holder) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Ticket de connexion au flux invalide, expiré ou déjà utilisé' });
  ctx.request.logBindings.userId = holder.userId;
  ctx.request.logBindings.tenantId = holder.tenantId;
  const claims = { userId: holder.userId, tenantId: holder.tenantId, sessionId: '' };
  const actor = await resolveActorOnce(ctx.services.db, claims, meta.access as Permission, ctx.request.requestId);
  const signal = ctx.services.notificationSignal ?? (() => () => undefined);
  return next({ ctx: { stream: { db: ctx.services.db, actor, signal, clock: ctx.services.clock } } });
});

export const tenantStreamProcedure = {
  access: (permission: Permission, purpose: StreamPurpose) => base.meta({ access: permission, streamPurpose: purpose }).use(tenantStreamGuard),
};
