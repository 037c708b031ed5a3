import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { contactSearchTerms } from './client-contacts.ts';
import { clientReferences, sqlIdentifier } from './client-references.ts';
import { derivedColumns, toClientView } from './client-view.ts';
import type { TMergeClientsInput } from './clients.schema.ts';

const FILLABLE = [
  'civility', 'firstName', 'lastName', 'companyName', 'legalForm', 'siren', 'siret', 'email', 'phone', 'mobile',
  'birthDate', 'source', 'salesRepId',
] as const;
const ADDRESS = ['addressLine1', 'addressLine2', 'postalCode', 'city', 'country'] as const;

/**
 * Folds `source` into `target`: everything attached to the source (every row that references it,
 * whatever its table) moves to the target; the target keeps its own values and takes the source's
 * where it has none (the address only as a whole); tags are united and notes appended. The source
 * stays, archived, pointing at the target, so old links and exports still resolve.
 */
export async function mergeClients(deps: TenantDeps, input: TMergeClientsInput) {
  const { tx, actor } = deps;
  const [source, target] = await Promise.all(
    [input.sourceClientId, input.targetClientId].map((id) => tx.client.findFirst({ where: { id, tenantId: actor.tenantId } })),
  );
  if (!source || !target) throw notFound('Client');
  if (source.id === target.id) throw badRequest('Choisissez deux clients différents', { targetClientId: ['Choisissez un autre client'] });
  for (const c of [source, target]) {
    if (c.mergedIntoId) throw conflict(`${c.displayName} a déjà été fusionné`);
    if (c.anonymisedAt) throw conflict(`${c.displayName} est anonymisé`);
  }
  if (source.kind !== target.kind) throw conflict('Un particulier et une entreprise ne se fusionnent pas', { targetClientId: ['Type de client différent'] });

  const moved: Record<string, number> = {};
  for (const ref of await clientReferences(tx)) {
    const count = await tx.$executeRawUnsafe(
      `UPDATE ${sqlIdentifier(ref.table)} SET ${sqlIdentifier(ref.column)} = $1::uuid WHERE tenant_id = $2::uuid AND ${sqlIdentifier(ref.column)} = $3::uuid`,
      target.id,
      actor.tenantId,
      source.id,
    );
    if (count > 0) moved[ref.table] = (moved[ref.table] ?? 0) + count;
  }

  const filled = Object.fromEntries(FILLABLE.filter((f) => target[f] == null && source[f] != null).map((f) => [f, source[f]]));
  const address = !target.addressLine1 && source.addressLine1 ? Object.fromEntries(ADDRESS.map((f) => [f, source[f]])) : {};
  const merged = { ...target, ...filled, ...address };
  const updated = await tx.client.update({
    where: { id: target.id },
    data: {
      ...filled,
      ...address,
      tags: [...new Set([...target.tags, ...source.tags])],
      notes: [target.notes, source.notes && `[Fusion de ${source.displayName}] ${source.notes}`].filter(Boolean).join('\n\n'),
      marketingConsent: target.marketingConsent || source.marketingConsent,
      marketingConsentAt: target.marketingConsent ? target.marketingConsentAt : source.marketingConsentAt,
      // The source's contacts moved with the other references: the target's search finds them.
      ...derivedColumns(merged, await contactSearchTerms(tx, actor.tenantId, target.id)),
    },
  });
  await tx.client.update({
    where: { id: source.id },
    data: { mergedIntoId: target.id, status: 'archived', statusBeforeArchive: source.status === 'archived' ? source.statusBeforeArchive : source.status },
  });
  await auditAs(tx, actor, { action: 'client.merged', entityType: 'client', entityId: target.id, data: { sourceClientId: source.id, moved } });
  await auditAs(tx, actor, { action: 'client.merged_into', entityType: 'client', entityId: source.id, data: { targetClientId: target.id } });
  return { client: toClientView(updated), moved };
}
