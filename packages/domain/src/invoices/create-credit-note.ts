import type { DocumentDeps } from '../documents/document-view.ts';
import { emitEvent } from '../events/emit-event.ts';
import { badRequest, conflict, type FieldErrors } from '../shared/errors.ts';
import { parisDay } from '../shared/paris-day.ts';
import { issueInvoiceIn } from './issue-invoice.ts';
import { writeDraftLines, type DraftLine } from './invoice-lines.ts';
import { settledStatus, vatBreakdown, invoiceTotals } from './invoice-rules.ts';
import { loadInvoice, toInvoiceView } from './invoice-view.ts';
import type { TCreateCreditNoteInput } from './invoices.schema.ts';

type Category = 'S' | 'E' | 'Z';
const rateLabel = (bp: number) => `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(bp / 100)} %`;

/**
 * A credit note against an issued invoice (CGI 289-I-5): its own series, the invoice's number
 * and date referenced, one line per VAT rate it corrects (excl. VAT, its VAT per rate), never
 * more per rate than the invoice's taxable amount at that rate less earlier credit notes, nor
 * more in all than what remains creditable. Issued at once (number, snapshot, artefacts,
 * `credit_note.created`); an invoice credited in full becomes cancelled.
 */
export async function createCreditNote(deps: DocumentDeps, input: TCreateCreditNoteInput) {
  const { tx, actor, now } = deps;
  const tenantId = actor.tenantId;
  await loadInvoice(deps, input.invoiceId);
  await tx.$queryRaw`SELECT id FROM invoices WHERE tenant_id = ${tenantId}::uuid AND id = ${input.invoiceId}::uuid FOR UPDATE`;
  const invoice = await loadInvoice(deps, input.invoiceId);
  if (invoice.kind !== 'invoice') throw conflict('Un avoir ne se corrige pas par un autre avoir');
  if (invoice.status === 'draft') throw conflict('Une facture en brouillon se modifie ou se supprime : elle n’a pas besoin d’avoir');
  if (invoice.status === 'cancelled') throw conflict(`La facture ${invoice.number} est déjà entièrement annulée par avoir`);

  const invoiceRows = vatBreakdown(invoice.lines.map((l) => ({ ...l, vatCategory: l.vatCategory as Category })));
  const creditedLines = await tx.invoiceLine.findMany({
    where: { tenantId, invoice: { is: { tenantId, creditedInvoiceId: invoice.id, status: { not: 'draft' } } } },
    select: { vatRateBasisPoints: true, netCents: true },
  });
  const remainingNet = new Map(invoiceRows.map((row) => [row.rateBasisPoints, row.taxableCents]));
  for (const line of creditedLines) remainingNet.set(line.vatRateBasisPoints, (remainingNet.get(line.vatRateBasisPoints) ?? 0) - line.netCents);

  const amounts = input.amounts ?? [...remainingNet].filter(([, net]) => net > 0).map(([vatRateBasisPoints, netCents]) => ({ vatRateBasisPoints, netCents }));
  const errors: FieldErrors = {};
  const seen = new Set<number>();
  amounts.forEach((amount, i) => {
    const left = remainingNet.get(amount.vatRateBasisPoints);
    if (left === undefined) errors[`amounts.${i}.vatRateBasisPoints`] = [`La facture n’a pas de montant au taux de ${rateLabel(amount.vatRateBasisPoints)}`];
    else if (seen.has(amount.vatRateBasisPoints)) errors[`amounts.${i}.vatRateBasisPoints`] = ['Ce taux est déjà indiqué'];
    else if (amount.netCents > left) errors[`amounts.${i}.netCents`] = [`Au plus ${(Math.max(0, left) / 100).toFixed(2).replace('.', ',')} € HT restent à créditer à ce taux`];
    seen.add(amount.vatRateBasisPoints);
  });
  if (amounts.length === 0) errors.amounts = ['Il ne reste rien à créditer sur cette facture'];
  if (Object.keys(errors).length > 0) throw badRequest('Avoir impossible : montant au-delà de ce qui reste à créditer', errors);

  const lines: DraftLine[] = amounts.map((amount, i) => {
    const row = invoiceRows.find((r) => r.rateBasisPoints === amount.vatRateBasisPoints)!;
    const source = invoice.lines.find((l) => l.vatRateBasisPoints === amount.vatRateBasisPoints)!;
    return {
      position: i + 1,
      label: `Avoir sur la facture ${invoice.number} (${row.category === 'S' ? `TVA ${rateLabel(row.rateBasisPoints)}` : 'sans TVA'})`,
      quantity: 1,
      unitPriceCents: amount.netCents,
      netCents: amount.netCents,
      vatCategory: row.category,
      vatRateBasisPoints: row.rateBasisPoints,
      vatExemptionReason: row.exemptionReason,
      supplyKind: source.supplyKind,
      productId: null,
      scheduleItemId: null,
      periodStart: null,
      periodEnd: null,
    };
  });
  const gross = invoiceTotals(lines).grossCents;
  if (gross > invoice.grossCents - invoice.creditedCents) {
    throw badRequest('Avoir impossible : montant au-delà de ce qui reste à créditer', { amounts: ['Le total TTC dépasse ce qui reste à créditer sur la facture'] });
  }

  const creditNote = await tx.invoice.create({
    data: {
      tenantId,
      kind: 'credit_note',
      series: 'credit_note',
      clientId: invoice.clientId,
      contractId: invoice.contract?.id ?? null,
      buyerKind: invoice.buyerKind,
      paymentMethod: invoice.paymentMethod,
      periodStart: invoice.periodStart,
      periodEnd: invoice.periodEnd,
      deliveryDate: invoice.deliveryDate,
      purchaseOrder: invoice.purchaseOrder,
      creditedInvoiceId: invoice.id,
      reason: input.reason,
      createdBy: actor.userId,
      createdAt: now,
    },
    select: { id: true },
  });
  await writeDraftLines(tx, tenantId, creditNote.id, lines);
  await issueInvoiceIn({ tx, tenantId, now, storage: deps.documents.storage, issuedBy: actor.userId, actorUserId: actor.userId, requestId: actor.requestId ?? null }, creditNote.id);

  const creditedCents = invoice.creditedCents + gross;
  const status = settledStatus(
    {
      grossCents: invoice.grossCents,
      paidCents: invoice.paidCents,
      creditedCents,
      dueDate: invoice.dueDate?.toISOString().slice(0, 10) ?? null,
      // Late stays late; a debit still under way is not late (settledStatus).
      awaitingDebit: invoice.paymentMethod === 'sepa_debit' && invoice.status !== 'overdue',
    },
    parisDay(now),
  );
  await tx.invoice.update({ where: { tenantId_id: { tenantId, id: invoice.id } }, data: { creditedCents, status, ...(status === 'paid' ? { paidAt: now } : {}) } });
  // Partly paid, the rest credited: nothing is owed any more, which is what invoice.paid says.
  if (status === 'paid' && invoice.status !== 'paid') {
    await emitEvent(tx, { type: 'invoice.paid', tenantId, payload: { invoiceId: invoice.id, clientId: invoice.clientId, number: invoice.number!, paidCents: invoice.paidCents, paidOn: parisDay(now) } });
  }
  return toInvoiceView(await loadInvoice(deps, creditNote.id));
}
