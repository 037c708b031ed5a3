import type { RouterOutputs } from '@crm/trpc';
import { t } from '../../i18n/fr.ts';
import { sessionToken } from '../../lib/session-token.ts';

export type InvoiceStatus = RouterOutputs['invoices']['list']['items'][number]['status'];
export type InvoiceDocumentRow = RouterOutputs['invoices']['get']['documents'][number];

// Reuses the badge colours the rest of the back office already has.
const BADGE: Record<InvoiceStatus, string> = {
  draft: 'badge',
  issued: 'badge badge--pending',
  partly_paid: 'badge badge--today',
  paid: 'badge badge--active',
  overdue: 'badge badge--overdue',
  cancelled: 'badge badge--revoked',
};

export function InvoiceStatusBadge({ status, label }: { status: InvoiceStatus; label: string }) {
  return <span className={BADGE[status]}>{label}</span>;
}

/** "Facture FA-2027-000001", "Avoir AV-2027-000001", "Brouillon de facture" before a number. */
export function invoiceTitle(invoice: { kind: 'invoice' | 'credit_note'; number: string | null }): string {
  const kind = invoice.kind === 'credit_note' ? t.invoices.creditNote : t.invoices.invoice;
  return invoice.number ? `${kind} ${invoice.number}` : t.invoices.draftOf(kind.toLowerCase());
}

/** A stored artefact's bytes, with the session's token (a plain link cannot send it). */
export async function fetchDocument(documentId: string): Promise<Blob> {
  const response = await fetch(`/documents/${documentId}/download`, { headers: { authorization: `Bearer ${sessionToken.get() ?? ''}` } });
  if (!response.ok) throw new Error(t.documents.downloadFailed);
  return response.blob();
}

export async function saveDocument(document: InvoiceDocumentRow): Promise<void> {
  const url = URL.createObjectURL(await fetchDocument(document.id));
  const link = Object.assign(window.document.createElement('a'), { href: url, download: document.fileName });
  link.click();
  URL.revokeObjectURL(url);
}
