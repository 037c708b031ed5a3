import { getConsumerLag, listDeadLetters, listRecentEvents, replayDeadLetter, ZReplayDeadLetterInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { documentDeps } from '../document-deps.ts';
import { tenantProcedure } from '../procedures.ts';

// The operations page: the tenant's recent events, each consumer's lag, dead letters.
export const eventsRouter = {
  recent: tenantProcedure.access('events.read').query(({ ctx }) => listRecentEvents(ctx.deps)),
  consumers: tenantProcedure.access('events.read').query(({ ctx }) => getConsumerLag(ctx.deps)),
  deadLetters: tenantProcedure.access('events.read').query(({ ctx }) => listDeadLetters(ctx.deps)),
  replay: tenantProcedure.access('events.replay').input(ZReplayDeadLetterInput).mutation(({ ctx, input }) => replayDeadLetter(documentDeps(ctx), input)),
} satisfies TRPCRouterRecord;
