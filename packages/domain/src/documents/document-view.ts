import type { Prisma, Tx } from '@crm/db';
import { loadClient } from '../shared/load-client.ts';
import { memberNames } from '../shared/member-names.ts';
import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { can } from '../access/permissions.ts';
import type { DocumentServices } from './document-storage.ts';
import { isRetainedKind } from './documents.schema.ts';

/** The document use cases' dependencies: the tenant transaction and the storage. */
export type DocumentDeps = TenantDeps & { documents: DocumentServices };

export const DOCUMENT_COLUMNS = {
  id: true,
  kind: true,
  fileName: true,
  mimeType: true,
  sizeBytes: true,
  sha256: true,
  storageKey: true,
  clientId: true,
  contractId: true,
  salesRepId: true,
  createdBy: true,
  createdAt: true,
  contract: { select: { number: true } },
} as const;

/** A document as read by the use cases (storage key included, never shown). */
export type DocumentRow = Prisma.DocumentGetPayload<{ select: typeof DOCUMENT_COLUMNS }>;

export async function toDocumentViews(tx: Tx, tenantId: string, rows: DocumentRow[]) {
  const names = await memberNames(tx, tenantId, rows.flatMap((r) => (r.createdBy ? [r.createdBy] : [])));
  return rows.map(({ storageKey: _key, contract, ...row }) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    contractNumber: contract?.number ?? null,
    createdByName: row.createdBy ? (names.get(row.createdBy) ?? null) : null,
    /** Signed contracts are legal evidence: they stay. */
    deletable: !isRetainedKind(row.kind),
  }));
}
export type DocumentView = Awaited<ReturnType<typeof toDocumentViews>>[number];

/**
 * What a document is attached to, read through the tenant transaction: a contract of another
 * organisation, or of a client this member may not see (the clients policy), is NOT_FOUND the
 * same way. Given both, the contract must be the client's.
 */
export async function loadDocumentTarget({ tx, actor }: TenantDeps, input: { clientId?: string | undefined; contractId?: string | undefined }) {
  if (input.contractId) {
    const contract = await tx.contract.findFirst({ where: { id: input.contractId, tenantId: actor.tenantId }, select: { id: true, clientId: true } });
    if (!contract || (input.clientId && input.clientId !== contract.clientId)) throw notFound('Contrat');
    const client = await tx.client.findFirst({ where: { id: contract.clientId, tenantId: actor.tenantId }, select: { id: true } });
    if (!client) throw notFound('Contrat');
    return { clientId: contract.clientId, contractId: contract.id };
  }
  if (!input.clientId) throw notFound('Client');
  const client = await loadClient({ tx, actor }, input.clientId, { id: true });
  return { clientId: client.id, contractId: null };
}

/** A document, through what it is attached to, so a hidden client hides its documents too. */
export async function loadDocument(deps: TenantDeps, documentId: string): Promise<DocumentRow> {
  const row = await deps.tx.document.findFirst({ where: { id: documentId, tenantId: deps.actor.tenantId }, select: DOCUMENT_COLUMNS });
  if (!row) throw notFound('Document');
  // A rep's own document (commission statement): the pay of one person. Row-level security limits
  // it to the rep, their managers and members who see all; among those, only who reads commissions.
  if (row.salesRepId && !can(deps.actor.role, 'commissions.read')) throw notFound('Document');
  if (row.clientId || row.contractId) {
    await loadDocumentTarget(deps, { clientId: row.clientId ?? undefined, contractId: row.contractId ?? undefined }).catch((error: unknown) => {
      throw error instanceof Error && 'code' in error && error.code === 'NOT_FOUND' ? notFound('Document') : error;
    });
  }
  return row;
}
