import type { AppRouter } from '@crm/trpc';
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink, TRPCClientError, type TRPCLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { observable } from '@trpc/server/observable';
import { MAX_BATCH_ITEMS, UNBATCHED_PROCEDURES } from './lib/batching.ts';
import { sessionToken } from './lib/session-token.ts';
import { ticketedEventSource } from './lib/ticketed-event-source.ts';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

const url = '/trpc';
const withCookies: typeof fetch = (input, init) => fetch(input, { ...init, credentials: 'include' });
const authHeader = () => {
  const token = sessionToken.get();
  return token ? { authorization: `Bearer ${token}` } : {};
};

// A plain client for the refresh call itself, so a failed refresh never triggers another.
const refreshClient = createTRPCClient<AppRouter>({ links: [httpLink({ url, fetch: withCookies })] });

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh cookie for a new access token; one call at a time, shared by all waiters. */
export function refreshAccessToken(): Promise<boolean> {
  const generation = sessionToken.generation();
  const current = () => sessionToken.generation() === generation;
  refreshing ??= refreshClient.auth.refresh
    .mutate()
    .then((grant) => {
      if (!current()) return sessionToken.get() !== null; // the person logged in or out meanwhile: theirs wins
      sessionToken.set(grant.accessToken, grant.accessTokenExpiresAt, () => void refreshAccessToken());
      return true;
    })
    .catch(() => {
      if (!current()) return sessionToken.get() !== null;
      sessionToken.set(null);
      return false;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export function acceptGrant(grant: { accessToken: string; accessTokenExpiresAt: string }): void {
  sessionToken.replace(grant.accessToken, grant.accessTokenExpiresAt, () => void refreshAccessToken());
}

const SESSION_PATHS = new Set(['auth.logIn', 'auth.signUp', 'auth.verifyEmail', 'auth.refresh', 'invitations.accept']);

// On a 401 (expired access token), refresh once and replay the call.
const refreshOnUnauthorized: TRPCLink<AppRouter> = () => ({ op, next }) =>
  observable((observer) => {
    let retried = false;
    let subscription = next(op).subscribe({ next: (v) => observer.next(v), complete: () => observer.complete(), error: onError });
    function onError(error: TRPCClientError<AppRouter>) {
      if (retried || SESSION_PATHS.has(op.path) || error.data?.httpStatus !== 401) {
        observer.error(error);
        return;
      }
      retried = true;
      void refreshAccessToken().then((ok) => {
        if (!ok) return observer.error(error);
        subscription = next(op).subscribe({ next: (v) => observer.next(v), complete: () => observer.complete(), error: onError });
      });
    }
    return () => subscription.unsubscribe();
  });

/** A ticket for the notification stream (procedures take the access token in the header). */
const streamTicket = async (): Promise<string> => (await trpcClient.notifications.streamTicket.mutate()).ticket;

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      // Server-sent events. EventSource cannot send headers and the API takes no access token in a
      // URL: each connection opens with a single-use stream ticket, asked for just before it.
      true: httpSubscriptionLink({ url, EventSource: ticketedEventSource(streamTicket) }),
      false: [
        refreshOnUnauthorized,
        // The API refuses public procedures (login, sign-up...) beside other calls, and batches past its limit.
        splitLink({
          condition: (op) => UNBATCHED_PROCEDURES.has(op.path),
          true: httpLink({ url, fetch: withCookies, headers: authHeader }),
          false: httpBatchLink({ url, fetch: withCookies, headers: authHeader, maxItems: MAX_BATCH_ITEMS }),
        }),
      ],
    }),
  ],
});

export { TRPCClientError };
