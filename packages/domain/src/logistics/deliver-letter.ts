import { LetterCheckError, planLetterPrint } from './letter-checks.ts';
import { MailevaError, type MailevaClient, type MailevaSending } from '../maileva/maileva-client.ts';
import type { TLetterService } from './letters.schema.ts';

/** A letter claimed by the sender, with what it needs to post it. */
export interface LetterToDeliver {
  id: string;
  service: TLetterService;
  purpose: string;
  /** Our reference: the sending's and the recipient's `custom_id`. */
  reference: string;
  attempts: number;
  sendingId: string | null;
  addressLines: (string | null)[];
  countryCode: string;
  colorPrinting: boolean;
  duplexPrinting: boolean;
  fileName: string;
  sender: { lines: (string | null)[]; countryCode: string } | null;
}

export interface DeliveryProgress {
  /** Called as soon as Maileva answers the creation: the id is recorded before anything else is sent. */
  sendingCreated(sendingId: string): Promise<void>;
  recipientAdded(recipientId: string): Promise<void>;
}

export interface DeliveredLetter {
  sendingId: string;
  sending: MailevaSending;
  sheets: number | null;
}

/**
 * Posts one letter through Maileva, resuming where an earlier attempt stopped. Each step is
 * checked against Maileva before it is done, so a worker that died anywhere in the flow never
 * makes a second letter:
 * - the sending: the recorded id; or, after an attempt whose answer may have been lost, the one
 *   carrying our reference (`custom_id`); or a new one, recorded at once;
 * - a sending no longer DRAFT was submitted: nothing is sent again;
 * - the PDF and the recipient are added only when the sending has none yet;
 * - submit, once.
 * A DRAFT left behind by a lost answer is never submitted, so it prints nothing.
 */
export async function deliverLetter(
  maileva: MailevaClient,
  letter: LetterToDeliver,
  readPdf: () => Promise<Uint8Array>,
  progress: DeliveryProgress,
): Promise<DeliveredLetter> {
  const { service } = letter;
  const pdf = await readPdf();
  // Checked before the first call: a letter Maileva would refuse creates nothing there.
  const plan = await planLetterPrint(pdf, letter.duplexPrinting);

  let sendingId = letter.sendingId;
  if (!sendingId && letter.attempts > 1) {
    const found = await maileva.findSendingByCustomId(service, letter.reference);
    if (found) {
      sendingId = found.id;
      await progress.sendingCreated(sendingId);
    }
  }
  if (!sendingId) {
    const created = await maileva.createSending(service, {
      name: `${letter.purpose} ${letter.reference}`,
      customId: letter.reference,
      colorPrinting: letter.colorPrinting,
      duplexPrinting: letter.duplexPrinting,
      acknowledgementOfReceipt: service === 'registered_with_ack',
      // Simple letters: no archive; registered ones: the shortest upstream offers (3 years).
      archivingDuration: service === 'simple' ? 0 : 3,
      ...(letter.sender ? { senderAddressLines: letter.sender.lines, senderCountryCode: letter.sender.countryCode } : {}),
    });
    if (!created?.id) throw new MailevaError('Maileva a créé un envoi sans identifiant', null, false);
    sendingId = created.id;
    await progress.sendingCreated(sendingId);
  }

  let sending = await maileva.getSending(service, sendingId);
  if (sending.status && sending.status !== 'DRAFT') return { sendingId, sending, sheets: sending.sheets_count ?? plan.sheets };

  if ((await maileva.listDocuments(service, sendingId)).length === 0) await maileva.uploadDocument(service, sendingId, pdf, letter.fileName);
  const recipients = await maileva.listRecipients(service, sendingId);
  const recipient = recipients[0] ?? (await maileva.addRecipient(service, sendingId, { customId: letter.reference, addressLines: letter.addressLines, countryCode: letter.countryCode }));
  await progress.recipientAdded(recipient.id);
  await maileva.submit(service, sendingId);
  sending = await maileva.getSending(service, sendingId);
  return { sendingId, sending, sheets: sending.sheets_count ?? plan.sheets };
}

/** Whether asking again may succeed: network and 5xx/401/429 answers yes; a check or a 4xx refusal no. */
export function isPermanentLetterError(error: unknown): boolean {
  if (error instanceof LetterCheckError) return true;
  if (error instanceof MailevaError) return error.permanent;
  return false;
}
