import {
  archiveClient,
  createClient,
  getClient,
  getClientTimeline,
  listClients,
  reassignClients,
  mergeClients,
  exportClientData,
  anonymiseClient,
  ZMergeClientsInput,
  ZAnonymiseClientInput,
  restoreClient,
  updateClient,
  ZClientIdInput,
  ZClientTimelineInput,
  ZCreateClientInput,
  ZListClientsInput,
  ZReassignClientsInput,
  ZUpdateClientInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const clientsRouter = {
  list: tenantProcedure.access('clients.read').input(ZListClientsInput).query(({ ctx, input }) => listClients(ctx.deps, input)),
  get: tenantProcedure.access('clients.read').input(ZClientIdInput).query(({ ctx, input }) => getClient(ctx.deps, input)),
  timeline: tenantProcedure.access('clients.read').input(ZClientTimelineInput).query(({ ctx, input }) => getClientTimeline(ctx.deps, input)),
  create: tenantProcedure.access('clients.write').input(ZCreateClientInput).mutation(({ ctx, input }) => createClient(ctx.deps, input)),
  update: tenantProcedure.access('clients.write').input(ZUpdateClientInput).mutation(({ ctx, input }) => updateClient(ctx.deps, input)),
  archive: tenantProcedure.access('clients.write').input(ZClientIdInput).mutation(({ ctx, input }) => archiveClient(ctx.deps, input)),
  restore: tenantProcedure.access('clients.write').input(ZClientIdInput).mutation(({ ctx, input }) => restoreClient(ctx.deps, input)),
  merge: tenantProcedure.access('clients.merge').input(ZMergeClientsInput).mutation(({ ctx, input }) => mergeClients(ctx.deps, input)),
  exportData: tenantProcedure.access('clients.gdpr').input(ZClientIdInput).mutation(({ ctx, input }) => exportClientData(ctx.deps, input)),
  anonymise: tenantProcedure.access('clients.gdpr').input(ZAnonymiseClientInput).mutation(({ ctx, input }) => anonymiseClient(ctx.deps, input)),
  reassign: tenantProcedure.access('clients.reassign').input(ZReassignClientsInput).mutation(({ ctx, input }) => reassignClients(ctx.deps, input)),
} satisfies TRPCRouterRecord;
