import type { Tx } from '@crm/db';
import { signedContractFileName } from '../contracts/contract-documents.ts';
import type { EventEnvelope } from '../events/catalogue.ts';
import type { HandlerDeps } from '../events/handler-deps.ts';
import { REASON_CATEGORY_LABELS, sepaReasonOf, type ReasonCategory } from '../sepa/sepa-reason-codes.ts';
import { retryOutlookOf, type RetryOutlook } from '../retries/retry-plan.ts';
import { REJECT_FEE_LABEL } from '../retries/retry-rules.ts';
import { invoiceMail } from './invoice-mail.ts';
import { renderTenantTemplate } from './render-template.ts';
import { commonValues, euros, frenchDate } from './mail-text.ts';

/**
 * The email consumer group: the mail a seed event sends to the client, queued as an outgoing
 * effect in the handler's transaction (sent after it commits), one per event (the key names the
 * event: a redelivery or a replay queues nothing more).
 */
export async function mailClientOnEvent(tx: Tx, event: EventEnvelope, deps: HandlerDeps): Promise<void> {
  switch (event.type) {
    case 'client.created':
      return welcomeMail(tx, event as EventEnvelope<'client.created'>, deps);
    case 'contract.signed':
      return contractCopyMail(tx, event as EventEnvelope<'contract.signed'>, deps);
    case 'payment.rejected':
      return rejectionNotice(tx, event as EventEnvelope<'payment.rejected'>, deps);
    case 'invoice.created':
      return invoiceMail(tx, event as EventEnvelope<'invoice.created'>, deps);
    default:
      return;
  }
}

/** Thrown when the signed PDF is not stored yet (the documents group stores it): the event is tried again. */
export class SignedContractNotStoredYet extends Error {
  constructor(contractId: string) {
    super(`contract ${contractId}: the signed PDF is not stored yet (documents consumer), will retry`);
    this.name = 'SignedContractNotStoredYet';
  }
}

const organisationOf = (tx: Tx, tenantId: string) =>
  tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { name: true, contactEmail: true, welcomeMailEnabled: true } });

const clientOf = async (tx: Tx, tenantId: string, clientId: string) => {
  const client = await tx.client.findFirst({ where: { id: clientId, tenantId }, select: { id: true, email: true, kind: true, firstName: true, lastName: true, companyName: true } });
  // A person is greeted by name as they write it ("Jean Dupont"); a company without one.
  return client ? { ...client, greetingName: client.kind === 'person' ? [client.firstName, client.lastName].filter(Boolean).join(' ') : null } : null;
};

/** Only where the organisation turned it on, only to a client with an address, never to imported ones. */
async function welcomeMail(tx: Tx, event: EventEnvelope<'client.created'>, deps: HandlerDeps) {
  // Clients brought in by an import already know the organisation: no mail to each of thousands.
  if (event.payload.imported) return;
  const organisation = await organisationOf(tx, event.tenantId);
  if (!organisation.welcomeMailEnabled) return;
  const client = await clientOf(tx, event.tenantId, event.payload.clientId);
  if (!client?.email) return;
  await deps.queueMail({
    recipient: client.email,
    clientId: client.id,
    template: 'client.welcome',
    idempotencyKey: `client.welcome:${event.id}`,
    ...(await renderTenantTemplate(tx, event.tenantId, 'client.welcome', {
      ...commonValues(organisation, client, client.greetingName),
      'contact.phrase': organisation.contactEmail
        ? `Pour toute question, écrivez-nous à ${organisation.contactEmail} : nous vous répondrons au plus vite.`
        : 'Pour toute question, répondez simplement à ce message.',
    })),
  });
}

/** The copy of the signed contract, its signed PDF attached (stored by the documents group). */
async function contractCopyMail(tx: Tx, event: EventEnvelope<'contract.signed'>, deps: HandlerDeps) {
  const contract = await tx.contract.findFirst({
    where: { id: event.payload.contractId, tenantId: event.tenantId },
    select: { id: true, number: true, signedOn: true, signerName: true, consumer: true },
  });
  const client = await clientOf(tx, event.tenantId, event.payload.clientId);
  if (!contract || !client?.email) return;
  const document = await tx.document.findFirst({
    // The signed copy (its own sha256: the signature records the presented document's); only the documents consumer makes one.
    where: { tenantId: event.tenantId, contractId: contract.id, kind: 'signed_contract' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true },
  });
  if (!document) throw new SignedContractNotStoredYet(contract.id);
  const organisation = await organisationOf(tx, event.tenantId);
  const signedOn = contract.signedOn ? frenchDate(contract.signedOn.toISOString().slice(0, 10)) : frenchDate(deps.today);
  await deps.queueMail({
    recipient: client.email,
    clientId: client.id,
    template: 'contract.signed_copy',
    idempotencyKey: `contract.signed_copy:${event.id}`,
    attachmentDocumentIds: [document.id],
    ...(await renderTenantTemplate(tx, event.tenantId, 'contract.signed_copy', {
      ...commonValues(organisation, client, contract.signerName ?? client.greetingName),
      'contrat.numero': contract.number,
      'contrat.date_signature': signedOn,
      'contrat.fichier': signedContractFileName(contract.number),
      'contrat.retractation': contract.consumer
        ? 'Vous disposez d’un délai de rétractation de 14 jours à compter de la signature, dans les conditions rappelées au contrat.'
        : '',
    })),
  });
}

const NEXT_STEPS: Record<ReasonCategory, string> = {
  insufficient_funds:
    'Le prélèvement pourra vous être présenté à nouveau prochainement : merci de veiller à ce que votre compte soit suffisamment approvisionné. Vous pouvez aussi nous contacter pour régler ce montant autrement.',
  account_closed_or_blocked:
    'Ce compte ne permet plus le prélèvement : le montant n’est pas présenté à nouveau. Merci de nous contacter pour nous indiquer de nouvelles coordonnées bancaires ou un autre moyen de paiement.',
  mandate_problem:
    'Votre mandat de prélèvement doit être régularisé : le montant n’est pas présenté à nouveau. Nous vous contacterons pour le mettre à jour ; vous pouvez aussi nous écrire.',
  debtor_refund_or_dispute:
    'Le montant reste dû au titre de votre contrat. Si vous contestez ce paiement, merci de nous en indiquer la raison afin que nous examinions votre demande ensemble.',
  technical:
    'Il s’agit d’un incident de traitement. Nous en recherchons la cause et vous tiendrons informé ; aucune démarche n’est attendue de votre part pour l’instant.',
  unknown: 'Merci de nous contacter afin que nous convenions ensemble de la suite à donner à ce paiement.',
};

/**
 * What comes next, as the retries consumer decides it (retries/retry-plan.ts): presented again on
 * a date (the re-presentation's notice, with the reject fee the contract states when the
 * organisation charges it, as its own debit), or not presented again.
 */
function nextStep(outlook: RetryOutlook | null, category: ReasonCategory): string {
  if (outlook?.kind === 'represent') {
    const fee = outlook.feeCents
      ? ` ${REJECT_FEE_LABEL} prévus à votre contrat : ${euros(outlook.feeCents)}, prélevés séparément le même jour.`
      : '';
    return `Le prélèvement vous sera présenté à nouveau le ${frenchDate(outlook.date)}, sur le même compte : merci de veiller à ce que votre compte soit suffisamment approvisionné à cette date. Vous pouvez aussi nous contacter pour régler ce montant autrement.${fee}`;
  }
  if (outlook?.kind === 'unrecovered' && category === 'insufficient_funds') {
    return 'Le prélèvement ne sera pas présenté à nouveau : merci de nous contacter pour convenir ensemble du règlement de ce montant.';
  }
  return NEXT_STEPS[category];
}

/**
 * The rejection notice to the debtor: how much, when, why (the bank's reason in French), and what
 * comes next: whether and when the debit is presented again. It asks for nothing more than the
 * amount due and, only where the contract states one and the organisation charges it, the reject
 * fee, named as such: never recovery costs (they stay with the creditor, L111-8 CPCE).
 */
async function rejectionNotice(tx: Tx, event: EventEnvelope<'payment.rejected'>, deps: HandlerDeps) {
  const { payload } = event;
  const client = await clientOf(tx, event.tenantId, payload.clientId);
  if (!client?.email) return;
  const contract = payload.contractId
    ? await tx.contract.findFirst({ where: { id: payload.contractId, tenantId: event.tenantId }, select: { number: true, debtorName: true } })
    : null;
  const organisation = await organisationOf(tx, event.tenantId);
  const category: ReasonCategory = payload.reasonCategory ?? 'unknown';
  const reason = sepaReasonOf(payload.reasonCode)?.labelFr ?? REASON_CATEGORY_LABELS[category];
  const what =
    payload.rTransaction === 'refund'
      ? `Le prélèvement de ${euros(payload.amountCents)} a été remboursé par votre banque le ${frenchDate(payload.rejectedOn)}`
      : `Le prélèvement de ${euros(payload.amountCents)} n’a pas pu être effectué : votre banque l’a rejeté le ${frenchDate(payload.rejectedOn)}`;
  await deps.queueMail({
    recipient: client.email,
    clientId: client.id,
    template: 'payment.rejected_notice',
    idempotencyKey: `payment.rejected_notice:${event.id}`,
    ...(await renderTenantTemplate(tx, event.tenantId, 'payment.rejected_notice', {
      ...commonValues(organisation, client, contract?.debtorName ?? client.greetingName),
      'contrat.objet': contract ? ` – contrat ${contract.number}` : '',
      'contrat.mention': contract ? ` (contrat ${contract.number})` : '',
      'prelevement.evenement': what,
      'prelevement.motif': `${reason}${payload.reasonCode ? ` (code ${payload.reasonCode})` : ''}`,
      'prelevement.suite': nextStep(await retryOutlookOf(tx, event.tenantId, payload.paymentId, deps.today), category),
    })),
  });
}
