import {
  addClientContact,
  listClientContacts,
  removeClientContact,
  updateClientContact,
  ZAddClientContactInput,
  ZClientContactIdInput,
  ZClientIdInput,
  ZUpdateClientContactInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

// The people to deal with at a company client; read and written through their client.
export const clientContactsRouter = {
  list: tenantProcedure.access('clients.read').input(ZClientIdInput).query(({ ctx, input }) => listClientContacts(ctx.deps, input)),
  add: tenantProcedure.access('clients.write').input(ZAddClientContactInput).mutation(({ ctx, input }) => addClientContact(ctx.deps, input)),
  update: tenantProcedure.access('clients.write').input(ZUpdateClientContactInput).mutation(({ ctx, input }) => updateClientContact(ctx.deps, input)),
  remove: tenantProcedure.access('clients.write').input(ZClientContactIdInput).mutation(({ ctx, input }) => removeClientContact(ctx.deps, input)),
} satisfies TRPCRouterRecord;
