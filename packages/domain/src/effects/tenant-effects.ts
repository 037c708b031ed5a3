import { activeTraceParent, type Tx } from '@crm/db';

/** A tenant's mail to someone outside (a client, a debtor), as the sender will deliver it. */
export interface TenantMailInput {
  recipient: string;
  template: string;
  subject: string;
  textBody: string;
  htmlBody?: string | null;
  /** The same key twice in a tenant is one mail: retries and replays never send it again. */
  idempotencyKey: string;
  /** Who decided it: a member's id, or `system:<consumer>` for an event handler. */
  createdBy?: string | null;
  /** The client it was written to: it shows on the client's timeline. */
  clientId?: string | null;
  /** Stored documents of the tenant sent as attachments (the sender reads their bytes). */
  attachmentDocumentIds?: readonly string[];
  /** The mail this one sends again (a person's resend). */
  resentFrom?: string | null;
}

/**
 * Records a mail in the caller's transaction (a tenant's, under RLS): it exists exactly when
 * the change that causes it commits, and the worker's sender delivers it after the commit. A key
 * already recorded is left as it is (no error, no second mail).
 */
export async function queueTenantMail(tx: Tx, tenantId: string, mail: TenantMailInput): Promise<void> {
  await tx.outgoingEffect.createMany({
    data: [
      {
        tenantId,
        kind: 'email',
        recipient: mail.recipient,
        template: mail.template,
        subject: mail.subject,
        textBody: mail.textBody,
        htmlBody: mail.htmlBody ?? null,
        idempotencyKey: mail.idempotencyKey,
        createdBy: mail.createdBy ?? null,
        clientId: mail.clientId ?? null,
        attachments: [...(mail.attachmentDocumentIds ?? [])],
        resentFrom: mail.resentFrom ?? null,
        // The span that queued it (null when tracing is off): the sender's span continues its trace.
        traceParent: activeTraceParent(),
      },
    ],
    skipDuplicates: true,
  });
}
