import {
  addTenantListItem,
  listTenantListItems,
  updateTenantListItem,
  ZAddTenantListItemInput,
  ZListTenantListInput,
  ZUpdateTenantListItemInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

// The lists each organisation edits: client tags and sources, product categories, activity types.
export const listsRouter = {
  items: tenantProcedure.access('lists.read').input(ZListTenantListInput).query(({ ctx, input }) => listTenantListItems(ctx.deps, input)),
  add: tenantProcedure.access('lists.write').input(ZAddTenantListItemInput).mutation(({ ctx, input }) => addTenantListItem(ctx.deps, input)),
  update: tenantProcedure.access('lists.write').input(ZUpdateTenantListItemInput).mutation(({ ctx, input }) => updateTenantListItem(ctx.deps, input)),
} satisfies TRPCRouterRecord;
