import { csvLine } from '../shared/csv-cells.ts';
import type { TenantDeps } from '../shared/context.ts';
import type { TExportPeriodInput } from './einvoicing.schema.ts';

export const AUDIT_TRAIL_COLUMNS = [
  'Pièce',
  'Type',
  "Date d'émission",
  'Client',
  'Contrat',
  'Mandat (RUM)',
  'Total TTC',
  'Échéance prélevée le',
  'Montant prélevé',
  'Référence de bout en bout',
  'Statut du prélèvement',
  'Paiements',
  'Facture corrigée',
  'Empreinte SHA-256',
] as const;

const STATUS_FR: Record<string, string> = {
  planned: 'Prévu',
  batched: 'Dans un lot',
  submitted: 'Envoyé à la banque',
  paid: 'Payé',
  rejected: 'Rejeté',
  cancelled: 'Annulé',
};
const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : '');
const amount = (cents: number) => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;

/**
 * The audit trail of the period's issued invoices and credit notes (the "piste d'audit fiable" of
 * CGI art. 289-VII): each document with its contract, its mandate, every debit it bills (due
 * date, amount, EndToEndId, status) and what the bank did with it (received or rejected, with the
 * reason code), and the sha256 of its frozen snapshot, one line per debit (one line for a document
 * that bills none). CSV for a spreadsheet (`;`, CRLF, cells quoted and neutralised); same data,
 * same bytes: rows in issue date then number order, nothing reads a clock. Row-level security
 * keeps a member to the clients they see.
 */
export async function exportAuditTrail({ tx, actor }: TenantDeps, input: TExportPeriodInput) {
  const rows = await tx.invoice.findMany({
    where: { tenantId: actor.tenantId, status: { not: 'draft' }, issueDate: { gte: new Date(`${input.from}T00:00:00Z`), lte: new Date(`${input.to}T00:00:00Z`) } },
    select: {
      kind: true,
      number: true,
      issueDate: true,
      grossCents: true,
      snapshotSha256: true,
      client: { select: { displayName: true } },
      contract: { select: { number: true } },
      mandate: { select: { rum: true } },
      creditedInvoice: { select: { number: true } },
      scheduleLinks: {
        select: {
          scheduleItem: {
            select: {
              dueDate: true,
              amountCents: true,
              endToEndId: true,
              status: true,
              payments: { select: { outcome: true, valueDate: true, amountCents: true, reasonCode: true }, orderBy: [{ valueDate: 'asc' }, { id: 'asc' }] },
            },
          },
        },
        orderBy: { scheduleItem: { dueDate: 'asc' } },
      },
    },
    orderBy: [{ issueDate: 'asc' }, { number: 'asc' }],
  });
  let text = csvLine(AUDIT_TRAIL_COLUMNS);
  for (const r of rows) {
    const common = [
      r.number ?? '',
      r.kind === 'credit_note' ? 'Avoir' : 'Facture',
      day(r.issueDate),
      r.client.displayName,
      r.contract?.number ?? '',
      r.mandate?.rum ?? '',
      amount(r.kind === 'credit_note' ? -r.grossCents : r.grossCents),
    ];
    const tail = [r.creditedInvoice?.number ?? '', r.snapshotSha256 ?? ''];
    if (r.scheduleLinks.length === 0) text += csvLine([...common, '', '', '', '', '', ...tail]);
    for (const { scheduleItem: d } of r.scheduleLinks) {
      const payments = d.payments
        .map((p) => `${day(p.valueDate)} ${p.outcome === 'received' ? 'reçu' : `rejeté${p.reasonCode ? ` (${p.reasonCode})` : ''}`} ${amount(p.amountCents)}`)
        .join(' / ');
      text += csvLine([...common, day(d.dueDate), amount(d.amountCents), d.endToEndId ?? '', STATUS_FR[d.status] ?? d.status, payments, ...tail]);
    }
  }
  return { fileName: `piste-audit-${input.from}-${input.to}.csv`, mimeType: 'text/csv;charset=utf-8', documents: rows.length, content: text };
}
