import { TRPCError, type AnyProcedure } from '@trpc/server';
import type { TRPCRequestInfo } from '@trpc/server/http';
import type { ProcedureMeta } from './init.ts';

/**
 * Calls per batched request (tRPC's `maxBatchSize` in the adapter; the web's httpBatchLink sends
 * at most as many). One request of 1,000 calls had cost as much as 1,000 requests.
 */
export const MAX_BATCH_SIZE = 10;

const TOO_MANY_CALLS = `Trop d'appels dans une même requête : ${MAX_BATCH_SIZE} au plus.`;

/**
 * Public procedures (sign-up, login, refresh, e-mail verification, invitations by token...) are
 * the surface reachable without a token, and the costly one: password hashes, session issuing,
 * secret lookups. Each must come as a request of its own, where it meets the throttles one
 * request at a time; in a batch, one request carried 200 password hashes. Decided from each
 * procedure's declared access, so a public procedure added later is covered without a list.
 */
export function assertBatchAllowed(info: TRPCRequestInfo): void {
  if (!info.isBatchCall || info.calls.length < 2) return;
  const alone = info.calls.find((call) => isPublic(call.procedure));
  if (alone) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: `${alone.path} ne peut pas être groupé avec d'autres appels : envoyez-le seul.` });
  }
}

const isPublic = (procedure: unknown): boolean =>
  ((procedure as AnyProcedure | null)?._def.meta as ProcedureMeta | undefined)?.access === 'public';

/** tRPC's own refusal of a batch past `maxBatchSize`, in the words of the rest of the API. */
export function batchErrorMessage(error: TRPCError): string | null {
  return error.code === 'BAD_REQUEST' && error.message === 'Batch call exceeds maximum size' ? TOO_MANY_CALLS : null;
}
