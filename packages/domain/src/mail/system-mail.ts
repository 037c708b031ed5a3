import { activeTraceParent, type Tx } from '@crm/db';

/** One message of the system to a person about their account, as the sender will deliver it. */
export interface SystemMailInput {
  /** The account it is about, when there is one (a sign-up's verification has none yet). */
  userId?: string | null;
  recipient: string;
  template: string;
  subject: string;
  textBody: string;
  link?: string | null;
  params?: Record<string, string>;
  /** The same key twice is one mail: retries and repeats never send it again. */
  idempotencyKey: string;
}

/**
 * Queues a mail in the caller's transaction, so it exists exactly when the change that causes
 * it commits. A key already queued is left as it is (no error, no second mail).
 */
export async function queueSystemMail(tx: Tx, mail: SystemMailInput): Promise<void> {
  await tx.systemMail.createMany({
    data: [
      {
        userId: mail.userId ?? null,
        recipient: mail.recipient,
        template: mail.template,
        subject: mail.subject,
        textBody: mail.textBody,
        link: mail.link ?? null,
        params: mail.params ?? {},
        idempotencyKey: mail.idempotencyKey,
        // The span that queued it (null when tracing is off): the sender's span continues its trace.
        traceParent: activeTraceParent(),
      },
    ],
    skipDuplicates: true,
  });
}
