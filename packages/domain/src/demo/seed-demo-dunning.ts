import { afterRollback, newId } from '@crm/db';
import { readDocumentContent } from '../documents/document-content.ts';
import { documentStorageKey } from '../documents/document-storage.ts';
import type { DocumentDeps } from '../documents/document-view.ts';
import { claimDebts } from '../dunning/dunning-cases.ts';
import { runDunningNight, runPendingDunningActions } from '../dunning/dunning-jobs.ts';
import { renderLetterPdf } from '../dunning/formal-notice-pdf.ts';
import { parisDay } from '../shared/paris-day.ts';

const DAY_MS = 86_400_000;

/**
 * The demo's dunning (issue 17): an AC04 reject (account closed: never re-presented) taken through
 * the real plan by the real nightly run, day after day over the past four weeks (two reminder
 * mails, a call task, the formal notice posted by registered letter with its deposit proof and
 * signed acknowledgement of receipt), and a second consumer's unpaid debit just opened: both B2C,
 * neither charged any fee.
 */
export async function seedDemoDunning(deps: DocumentDeps): Promise<void> {
  const { tx, actor, now } = deps;
  const tenantId = actor.tenantId;
  const contracts = await tx.contract.findMany({
    where: { tenantId, status: 'signed', client: { kind: 'person' } },
    select: { id: true, clientId: true },
    orderBy: { createdAt: 'asc' },
    take: 2,
  });
  const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
  const clockAt = (days: number) => ({ today: parisDay(at(days)), now: at(days), createdBy: 'system:demo' });
  for (const [i, contract] of contracts.entries()) {
    const reasonCode = i === 0 ? 'AC04' : 'AM04';
    const dueDate = parisDay(at(i === 0 ? -35 : -6));
    const period = { periodStart: new Date(`${dueDate.slice(0, 8)}01`), periodEnd: new Date(`${dueDate}T00:00:00Z`) };
    // The AM04 debit was presented three times: its first presentation, then the re-presentations that point to it.
    const first =
      i === 0
        ? null
        : await tx.scheduleItem.create({
            data: { tenantId, contractId: contract.id, clientId: contract.clientId, ...period, dueDate: new Date(`${parisDay(at(-40))}T00:00:00Z`), amountCents: 3_450, paymentMethod: 'sepa_debit', status: 'rejected', attempt: 1 },
          });
    const item = await tx.scheduleItem.create({
      data: { tenantId, contractId: contract.id, clientId: contract.clientId, ...period, dueDate: new Date(`${dueDate}T00:00:00Z`), amountCents: i === 0 ? 5_990 : 3_450, paymentMethod: 'sepa_debit', status: 'rejected', attempt: i === 0 ? 1 : 3, originalItemId: first?.id ?? null },
    });
    await tx.payment.create({
      data: { tenantId, scheduleItemId: item.id, contractId: contract.id, clientId: contract.clientId, outcome: 'rejected', method: 'sepa_debit', amountCents: item.amountCents, valueDate: new Date(`${parisDay(at(i === 0 ? -31 : -2))}T00:00:00Z`), reasonCode, reasonCategory: i === 0 ? 'account_closed_or_blocked' : 'insufficient_funds', rTransaction: 'reject' },
    });
    const label = i === 0 ? `Prélèvement du ${dueDate} rejeté (AC04, compte clos)` : `Prélèvement du ${dueDate} rejeté (AM04, 2 représentations sans succès)`;
    await claimDebts(tx, tenantId, clockAt(i === 0 ? -30 : -1), contract.clientId, [{ scheduleItemId: item.id, invoiceId: null, contractId: contract.id, label, amountCents: item.amountCents, dueDate }]);
  }
  // The nights of the last four weeks, as the worker ran them: each moves the cases due that day.
  for (let day = -29; day <= 0; day++) {
    await runDunningNight({ tx, tenantId, now: at(day), today: parisDay(at(day)) }, { claimInvoices: false });
    await runPendingDunningActions({ tx, tenantId, now: at(day), today: parisDay(at(day)), storage: deps.documents.storage });
  }
  // The registered letter's proofs, as Maileva returns them (deposit proof, signed AR).
  const letter = await tx.letter.findFirst({ where: { tenantId, dunningCaseId: { not: null }, service: 'registered_with_ack' }, orderBy: { createdAt: 'asc' } });
  if (!letter) return;
  const proof = async (title: string, days: number, line: string) => {
    const bytes = await renderLetterPdf({ date: parisDay(at(days)), title, mention: null, creditor: { name: 'La Poste — Maileva (démonstration)', legalLine: '', addressLines: [] }, debtor: { name: 'Envoi recommandé', addressLines: [`N° ${letter.reference}`] }, paragraphs: [line] });
    const content = await readDocumentContent(bytes, deps.documents.maxBytes);
    const id = newId();
    const storageKey = documentStorageKey(tenantId, id, now);
    afterRollback(tx, () => deps.documents.storage.delete(storageKey));
    await deps.documents.storage.put(storageKey, content.bytes);
    await tx.document.create({ data: { id, tenantId, clientId: letter.clientId, kind: 'letter_proof', fileName: `${title.toLowerCase().replaceAll(' ', '-')}.pdf`, mimeType: 'application/pdf', sizeBytes: content.sizeBytes, sha256: content.sha256, storageKey } });
    return id;
  };
  const deposit = await proof('Preuve de depot', -2, 'Lettre recommandée avec avis de réception déposée (simulation de démonstration).');
  const ack = await proof('Avis de reception', 0, 'Avis de réception signé par le destinataire (simulation de démonstration).');
  await tx.letter.update({
    where: { id: letter.id },
    data: { status: 'submitted', sendingId: `demo-${letter.reference}`, submittedAt: at(-2), providerStatus: 'PROCESSED', deliveryStatus: 'N01', registeredNumber: '1A 234 567 8901 2', postageCents: 742, depositProofDocumentId: deposit, acknowledgementDocumentId: ack, environment: 'demo' },
  });
  for (const [documentId, title, days] of [[deposit, 'Preuve de dépôt du recommandé', -2], [ack, 'Avis de réception signé', 0]] as const) {
    await tx.dunningCaseEntry.create({ data: { tenantId, caseId: letter.dunningCaseId!, kind: 'proof', onDate: new Date(`${parisDay(at(days))}T00:00:00Z`), at: at(days), title, documentId, createdBy: 'system:demo' } });
  }
}
