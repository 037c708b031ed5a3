import { newId, type Tx } from '@crm/db';
import { badRequest, notFound } from '../shared/errors.ts';
import { clientPostalAddress, postalAddressErrors } from './letter-address.ts';
import { MAILEVA_COUNTRIES } from './maileva-countries.ts';
import type { TLetterService } from './letters.schema.ts';

/** A letter to a client, as the sender will post it through Maileva. */
export interface QueueLetterInput {
  clientId: string;
  /** A stored PDF document of the tenant: the letter's pages. */
  documentId: string;
  service: TLetterService;
  /** The same key twice in a tenant is one letter: retries and replays never post it again. */
  idempotencyKey: string;
  /** Who decided it: a member's id, or `system:<consumer>` for an event handler or a job. */
  createdBy?: string | null;
  /** Why (short): 'dunning', 'contract', 'document'... */
  purpose: string;
  /** The dunning case whose step sends it. */
  dunningCaseId?: string | null;
  /** Colour printing costs more and is on by default upstream: off unless asked. */
  colorPrinting?: boolean;
  /** Printed on both sides (the upstream default, said explicitly). */
  duplexPrinting?: boolean;
}

export interface QueuedLetter {
  id: string;
  /** False when the key was already recorded (nothing new queued). */
  created: boolean;
}

/**
 * Records a letter in the caller's transaction (a tenant's, under RLS): it exists exactly when
 * the change that decides it commits, and the worker's letter sender posts it after the commit.
 * The recipient's address is fixed now (what the decision was about) and checked now, so a
 * letter that Maileva would refuse is refused to its author with field errors instead. A key
 * already recorded answers the existing letter (no error, no second letter).
 */
export async function queueLetter(tx: Tx, tenantId: string, input: QueueLetterInput): Promise<QueuedLetter> {
  const existing = await tx.letter.findFirst({ where: { tenantId, idempotencyKey: input.idempotencyKey }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  const purpose = input.purpose.trim();
  if (purpose.length < 1 || purpose.length > 40) throw badRequest('Motif du courrier invalide', { purpose: ['Entre 1 et 40 caractères'] });

  const client = await tx.client.findFirst({ where: { tenantId, id: input.clientId } });
  if (!client) throw notFound('Client');
  const document = await tx.document.findFirst({ where: { tenantId, id: input.documentId }, select: { id: true, mimeType: true } });
  if (!document) throw notFound('Document');
  if (document.mimeType !== 'application/pdf') throw badRequest('Seul un PDF peut être envoyé par courrier', { documentId: ['Ce document n’est pas un PDF'] });

  const address = clientPostalAddress(client);
  const errors = postalAddressErrors(address, MAILEVA_COUNTRIES);
  if (Object.keys(errors).length > 0) throw badRequest("L'adresse postale du client ne permet pas l'envoi : complétez-la dans sa fiche", errors);

  const id = newId();
  const inserted = await tx.letter.createMany({
    data: [
      {
        id,
        tenantId,
        clientId: client.id,
        documentId: document.id,
        service: input.service,
        purpose,
        dunningCaseId: input.dunningCaseId ?? null,
        idempotencyKey: input.idempotencyKey,
        createdBy: input.createdBy ?? null,
        addressLines: address.lines,
        countryCode: address.countryCode,
        colorPrinting: input.colorPrinting ?? false,
        duplexPrinting: input.duplexPrinting ?? true,
        // Maileva's `custom_id` (at most 32 characters on a recipient, 38 on a sending).
        reference: id.replaceAll('-', ''),
      },
    ],
    skipDuplicates: true,
  });
  if (inserted.count === 0) {
    // A concurrent transaction recorded the same key first.
    const winner = await tx.letter.findFirst({ where: { tenantId, idempotencyKey: input.idempotencyKey }, select: { id: true } });
    if (winner) return { id: winner.id, created: false };
  }
  return { id, created: true };
}
