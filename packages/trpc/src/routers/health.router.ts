import type { TRPCRouterRecord } from '@trpc/server';
import { publicProcedure } from '../procedures.ts';

export const healthRouter = {
  ping: publicProcedure.query(() => ({ status: 'ok' as const })),
} satisfies TRPCRouterRecord;
