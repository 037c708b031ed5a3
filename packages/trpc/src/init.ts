import type { Permission, StreamPurpose } from '@crm/domain';
import { initTRPC } from '@trpc/server';
import type { CrmContext } from './context.ts';
import { batchErrorMessage } from './batch-rules.ts';
import { fieldErrorsOf, inputErrorMessage, retryAfterOf } from './errors.ts';

/** How a procedure is reached: by anyone, by any signed-in user, or by members holding a permission. */
export type Access = 'public' | 'authenticated' | Permission;

export interface ProcedureMeta {
  access: Access;
  /** A transaction allowed longer than the default 15 s (the dry run of a 100 MB import). */
  timeoutMs?: number;
  /** A subscription: which stream tickets open it (procedures.ts, `tenantStreamProcedure`). */
  streamPurpose?: StreamPurpose;
}

export const t = initTRPC
  .context<CrmContext>()
  .meta<ProcedureMeta>()
  .create({
    // Subscriptions over SSE: pings keep proxies from closing the stream; the client reconnects
    // (with the last event id) when it hears nothing for a while.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
    errorFormatter({ shape, error }) {
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      return {
        ...shape,
        message: internal ? 'Erreur interne' : (batchErrorMessage(error) ?? inputErrorMessage(error)),
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          fieldErrors: fieldErrorsOf(error),
          retryAfter: retryAfterOf(error),
        },
      };
    },
  });
