import { classifyDbError, type Tx } from '@crm/db';
import { z } from 'zod';
import { auditAs } from '../audit/record-audit.ts';
import { text } from '../shared/input-rules.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict, notFound } from '../shared/errors.ts';

export const TENANT_LIST_KINDS = ['client_tag', 'client_source', 'product_category', 'activity_type'] as const;
export type TenantListKind = (typeof TENANT_LIST_KINDS)[number];

/** What a new organisation starts with; each edits its own. */
export const DEFAULT_TENANT_LISTS: Record<TenantListKind, string[]> = {
  client_tag: ['VIP', 'À relancer'],
  client_source: ['Recommandation', 'Site web', 'Salon', 'Démarchage', 'Partenaire'],
  product_category: ['Énergie', 'Assurance', 'Services'],
  activity_type: ['Appel', 'Email', 'Rendez-vous', 'Note', 'Tâche'],
};

export async function seedTenantLists(tx: Tx, tenantId: string): Promise<void> {
  await tx.tenantListItem.createMany({
    data: TENANT_LIST_KINDS.flatMap((kind) => DEFAULT_TENANT_LISTS[kind].map((label, position) => ({ tenantId, kind, label, position }))),
  });
}

const ZKind = z.enum(TENANT_LIST_KINDS, 'Liste inconnue');
const ZLabel = text(60).min(1, 'Libellé requis');

export const ZListTenantListInput = z.strictObject({ kind: ZKind, includeInactive: z.boolean().default(false) });
export const ZAddTenantListItemInput = z.strictObject({ kind: ZKind, label: ZLabel });
export const ZUpdateTenantListItemInput = z.strictObject({
  itemId: z.uuid('Élément invalide'),
  label: ZLabel.optional(),
  active: z.boolean().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});

const view = (i: { id: string; kind: string; label: string; position: number; active: boolean }) => ({
  id: i.id,
  kind: i.kind as TenantListKind,
  label: i.label,
  position: i.position,
  active: i.active,
});

const duplicate = (error: unknown) => {
  if (classifyDbError(error)?.kind === 'conflict') throw conflict('Ce libellé existe déjà', { label: ['Ce libellé existe déjà'] });
  throw error;
};

export async function listTenantListItems({ tx, actor }: TenantDeps, input: z.infer<typeof ZListTenantListInput>) {
  const items = await tx.tenantListItem.findMany({
    where: { tenantId: actor.tenantId, kind: input.kind, ...(input.includeInactive ? {} : { active: true }) },
    orderBy: [{ position: 'asc' }, { label: 'asc' }],
  });
  return items.map(view);
}

export async function addTenantListItem({ tx, actor }: TenantDeps, input: z.infer<typeof ZAddTenantListItemInput>) {
  const last = await tx.tenantListItem.findFirst({ where: { tenantId: actor.tenantId, kind: input.kind }, orderBy: { position: 'desc' } });
  const item = await tx.tenantListItem
    .create({ data: { tenantId: actor.tenantId, kind: input.kind, label: input.label, position: (last?.position ?? -1) + 1 } })
    .catch(duplicate);
  await auditAs(tx, actor, { action: 'list.item_added', entityType: 'tenant_list_item', entityId: item.id, data: { kind: input.kind, label: input.label } });
  return view(item);
}

export async function updateTenantListItem({ tx, actor }: TenantDeps, input: z.infer<typeof ZUpdateTenantListItemInput>) {
  const { itemId, ...fields } = input;
  const existing = await tx.tenantListItem.findFirst({ where: { id: itemId, tenantId: actor.tenantId } });
  if (!existing) throw notFound('Élément');
  const item = await tx.tenantListItem.update({ where: { id: existing.id }, data: fields }).catch(duplicate);
  await auditAs(tx, actor, { action: 'list.item_updated', entityType: 'tenant_list_item', entityId: item.id, data: { fields: Object.keys(fields) } });
  return view(item);
}
