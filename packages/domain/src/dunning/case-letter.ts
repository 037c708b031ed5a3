import { afterRollback, newId, type Tx } from '@crm/db';
import { readDocumentContent } from '../documents/document-content.ts';
import { documentStorageKey, type DocumentStorage } from '../documents/document-storage.ts';
import { queueLetter } from '../logistics/queue-letter.ts';
import { dateOf, isoDay } from './dunning-cases.ts';
import { caseCharges, type Audience } from './dunning-rules.ts';
import { renderTemplate } from './dunning-templates.ts';
import { renderFormalNoticePdf, renderLetterPdf, type FormalNoticeData } from './formal-notice-pdf.ts';

export interface CaseLetterContext {
  tx: Tx;
  tenantId: string;
  today: string;
  now: Date;
  storage: DocumentStorage;
  createdBy: string;
}

const addressLines = (a: { addressLine1: string | null; addressLine2: string | null; postalCode: string | null; city: string | null; country: string }) =>
  [a.addressLine1, a.addressLine2, [a.postalCode, a.city].filter(Boolean).join(' '), a.country === 'FR' ? null : a.country].filter((l): l is string => !!l && l.trim() !== '');

/**
 * What a letter of a case says and who it is from and to, read in the case's transaction: the
 * organisation (creditor), the client (debtor), the claimed debts and what they cost today.
 */
export async function formalNoticeData(tx: Tx, tenantId: string, caseId: string, today: string): Promise<FormalNoticeData & { clientId: string }> {
  const kase = await tx.dunningCase.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: caseId } } });
  const [organisation, client, items] = await Promise.all([
    tx.organisation.findUniqueOrThrow({ where: { id: tenantId } }),
    tx.client.findFirstOrThrow({ where: { tenantId, id: kase.clientId } }),
    tx.dunningCaseItem.findMany({ where: { tenantId, caseId }, orderBy: { dueDate: 'asc' } }),
  ]);
  const contractIds = [...new Set(items.flatMap((i) => (i.contractId ? [i.contractId] : [])))];
  const contracts = contractIds.length ? await tx.contract.findMany({ where: { tenantId, id: { in: contractIds } }, select: { number: true } }) : [];
  const audience = kase.audience as 'b2b' | 'b2c';
  const charges = caseCharges(
    { audience, contractRateBasisPoints: organisation.latePenaltyRateBasisPoints ?? null, formalNoticeOn: isoDay(kase.formalNoticeOn) },
    items.map((i) => ({ amountCents: i.amountCents, paidCents: i.paidCents, dueDate: isoDay(i.dueDate)!, isInvoice: i.invoiceId !== null })),
    today,
  );
  const legal = [organisation.legalName ?? organisation.name, organisation.legalForm, organisation.siren ? `SIREN ${organisation.siren}` : null, organisation.rcsCity ? `RCS ${organisation.rcsCity}` : null];
  return {
    clientId: client.id,
    audience,
    date: today,
    deadlineDays: 8,
    creditor: {
      name: organisation.legalName ?? organisation.name,
      legalLine: legal.filter(Boolean).join(' — '),
      addressLines: addressLines(organisation),
      // The organisation's own account, printed in full: the debtor pays to it.
      iban: organisation.creditorIban ?? null,
      contact: organisation.contactEmail ?? organisation.name,
    },
    debtor: { name: client.displayName, addressLines: addressLines(client) },
    reference: `REL-${kase.id.slice(-8).toUpperCase()}`,
    contracts: contracts.map((c) => c.number),
    items: items.map((i) => ({ label: i.label, dueDate: isoDay(i.dueDate)!, amountCents: i.amountCents, paidCents: i.paidCents })),
    charges,
    penaltyRateText: audience === 'b2b' ? (organisation.latePenaltyRateText ?? null) : null,
    consequences:
      audience === 'b2b'
        ? ['suspendre puis résilier le contrat pour non-paiement', 'engager une procédure judiciaire de recouvrement (injonction de payer), sans autre avis']
        : ['suspendre puis résilier le contrat pour non-paiement', 'saisir la juridiction compétente (injonction de payer)'],
  };
}

/** Keeps a generated PDF as a document of the client (bytes removed if the transaction rolls back). */
async function storePdf(ctx: CaseLetterContext, clientId: string, kind: 'dunning_letter', fileName: string, bytes: Uint8Array): Promise<string> {
  const content = await readDocumentContent(bytes, 10 * 1024 * 1024);
  const id = newId();
  const storageKey = documentStorageKey(ctx.tenantId, id, ctx.now);
  afterRollback(ctx.tx, () => ctx.storage.delete(storageKey));
  await ctx.storage.put(storageKey, content.bytes);
  await ctx.tx.document.create({
    data: { id, tenantId: ctx.tenantId, clientId, kind, fileName, mimeType: 'application/pdf', sizeBytes: content.sizeBytes, sha256: content.sha256, storageKey, createdAt: ctx.now },
  });
  return id;
}

/**
 * A case's letter step: the formal notice (registered with acknowledgement) or a simple reminder
 * letter, rendered, kept as a document and handed to the letter sender (logistics/queue-letter.ts)
 * under the step's key, so a replay posts nothing twice. The formal notice dates the case's notice:
 * a consumer's legal interest runs from it.
 */
export async function sendCaseLetter(
  ctx: CaseLetterContext,
  step: { caseId: string; cycle: number; position: number; channel: 'letter' | 'registered_letter'; subject: string; template: string; audience: Audience },
): Promise<{ documentId: string; letterId: string }> {
  const data = await formalNoticeData(ctx.tx, ctx.tenantId, step.caseId, ctx.today);
  const key = `dunning:${step.caseId}:${step.cycle}:${step.position}`;
  let bytes: Uint8Array;
  if (step.channel === 'registered_letter') {
    bytes = await renderFormalNoticePdf(data);
  } else {
    const text = renderTemplate(step.template, {
      client: data.debtor.name,
      organisation: data.creditor.name,
      montant: `${(data.charges.outstandingCents / 100).toFixed(2).replace('.', ',')} €`,
      echeances: data.items.map((i) => i.label).join(', '),
      date_limite: '',
      contact: data.creditor.contact,
    });
    bytes = await renderLetterPdf({ date: ctx.today, title: step.subject, mention: null, creditor: data.creditor, debtor: data.debtor, paragraphs: text.split('\n\n') });
  }
  const fileName = step.channel === 'registered_letter' ? `mise-en-demeure-${data.reference}.pdf` : `relance-${data.reference}-${step.position}.pdf`;
  const documentId = await storePdf(ctx, data.clientId, 'dunning_letter', fileName, bytes);
  const letter = await queueLetter(ctx.tx, ctx.tenantId, {
    clientId: data.clientId,
    documentId,
    service: step.channel === 'registered_letter' ? 'registered_with_ack' : 'simple',
    idempotencyKey: key,
    createdBy: ctx.createdBy,
    purpose: step.channel === 'registered_letter' ? 'mise en demeure' : 'relance',
    dunningCaseId: step.caseId,
  });
  if (step.channel === 'registered_letter') {
    await ctx.tx.dunningCase.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id: step.caseId } }, data: { formalNoticeOn: dateOf(ctx.today) } });
  }
  return { documentId, letterId: letter.id };
}
