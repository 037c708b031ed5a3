import { getLetter, listLetters, sendDocumentByPost, ZGetLetterInput, ZListLettersInput, ZSendDocumentByPostInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { documentDeps } from '../document-deps.ts';
import { tenantProcedure } from '../procedures.ts';

/** Postal letters through Maileva: the list with each one's status trail, cost and proofs, and "Envoyer par courrier". */
export const lettersRouter = {
  list: tenantProcedure.access('letters.read').input(ZListLettersInput).query(({ ctx, input }) => listLetters(ctx.deps, input)),
  get: tenantProcedure.access('letters.read').input(ZGetLetterInput).query(({ ctx, input }) => getLetter(ctx.deps, input)),
  send: tenantProcedure.access('letters.write').input(ZSendDocumentByPostInput).mutation(({ ctx, input }) => sendDocumentByPost(documentDeps(ctx), input)),
} satisfies TRPCRouterRecord;
