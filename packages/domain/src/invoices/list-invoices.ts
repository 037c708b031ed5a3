import type { Prisma } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { defineInstantCursor } from '../shared/keyset-cursor.ts';
import { loadClient } from '../shared/load-client.ts';
import { INVOICE_STATUS_LABELS } from './invoice-rules.ts';
import type { InvoiceStatus, TListInvoicesInput } from './invoices.schema.ts';

const invoicesCursor = defineInstantCursor('invoices/1');
const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

/**
 * One page of invoices and credit notes, newest first, by keyset on (created_at, id), filtered
 * by status, client or series. Only those of clients the member sees (row-level security); a
 * client filter naming a client the member cannot see answers NOT_FOUND.
 */
export async function listInvoices(deps: TenantDeps, input: TListInvoicesInput) {
  const { tx, actor } = deps;
  if (input.clientId) await loadClient(deps, input.clientId, { id: true });
  const and: Prisma.InvoiceWhereInput[] = [];
  if (input.cursor) {
    const [at, id] = invoicesCursor.decode(input.cursor);
    and.push({ createdAt: { lte: at } }, { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] });
  }
  const rows = await tx.invoice.findMany({
    where: {
      tenantId: actor.tenantId,
      ...(input.status ? { status: input.status } : {}),
      ...(input.clientId ? { clientId: input.clientId } : {}),
      ...(input.series ? { series: input.series } : {}),
      ...(and.length > 0 ? { AND: and } : {}),
    },
    select: {
      id: true,
      kind: true,
      status: true,
      series: true,
      number: true,
      issueDate: true,
      dueDate: true,
      grossCents: true,
      paidCents: true,
      creditedCents: true,
      createdAt: true,
      client: { select: { id: true, displayName: true } },
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind as 'invoice' | 'credit_note',
      status: r.status as InvoiceStatus,
      statusLabel: INVOICE_STATUS_LABELS[r.status as InvoiceStatus],
      series: r.series,
      number: r.number,
      client: r.client,
      issueDate: day(r.issueDate),
      dueDate: day(r.dueDate),
      grossCents: r.grossCents,
      remainingCents: Math.max(0, r.grossCents - r.paidCents - r.creditedCents),
      createdAt: r.createdAt.toISOString(),
    })),
    nextCursor: rows.length > input.limit && last ? invoicesCursor.encode(last.createdAt, last.id) : null,
  };
}
