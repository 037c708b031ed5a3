import type { OutgoingEffect, Prisma } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { assertOrganisationWideView } from '../shared/view-scope.ts';
import type { MailLogStatus, TListMailLogInput } from './mail-log.schema.ts';

export const MAIL_STATUS_LABELS: Record<MailLogStatus, string> = {
  queued: 'En attente',
  sent: 'Envoyé',
  failed: 'Échec',
  uncertain: 'Incertain',
};

const shownStatus = (status: OutgoingEffect['status']): MailLogStatus => (status === 'sending' ? 'queued' : status);

/** Only what went wrong, or may have gone, can be sent again by a person. */
export const isResendable = (status: OutgoingEffect['status']) => status === 'failed' || status === 'uncertain';

const MAIL_LOG_COLUMNS = {
  id: true,
  recipient: true,
  subject: true,
  template: true,
  status: true,
  attempts: true,
  lastError: true,
  clientId: true,
  resentFrom: true,
  attachments: true,
  createdAt: true,
  sentAt: true,
} as const;

type MailLogRow = Prisma.OutgoingEffectGetPayload<{ select: typeof MAIL_LOG_COLUMNS }>;

export const toMailLogView = (m: MailLogRow) => ({
  id: m.id,
  recipient: m.recipient,
  subject: m.subject,
  template: m.template,
  status: shownStatus(m.status),
  statusLabel: MAIL_STATUS_LABELS[shownStatus(m.status)],
  attempts: m.attempts,
  lastError: m.lastError,
  clientId: m.clientId,
  resentFrom: m.resentFrom,
  attachmentCount: m.attachments.length,
  resendable: isResendable(m.status),
  createdAt: m.createdAt.toISOString(),
  sentAt: m.sentAt?.toISOString() ?? null,
});
export type MailLogView = ReturnType<typeof toMailLogView>;

/**
 * The organisation's mail to its clients (outgoing effects), newest first, by keyset on the id
 * (UUIDv7, time-ordered), searchable by recipient or subject. Under RLS, and filtered on the
 * actor's tenant as every query is.
 */
export async function listMailLog({ tx, actor }: TenantDeps, input: TListMailLogInput) {
  // Every client's mail: for who sees every client (a member with a team scope is refused).
  await assertOrganisationWideView(tx);
  const search = input.search?.trim();
  const rows = await tx.outgoingEffect.findMany({
    where: {
      tenantId: actor.tenantId,
      kind: 'email',
      ...(input.cursor ? { id: { lt: input.cursor } } : {}),
      ...(input.status ? { status: input.status === 'queued' ? { in: ['queued', 'sending'] } : input.status } : {}),
      ...(search
        ? { OR: [{ recipient: { contains: search, mode: 'insensitive' } }, { subject: { contains: search, mode: 'insensitive' } }] }
        : {}),
    },
    select: MAIL_LOG_COLUMNS,
    orderBy: { id: 'desc' },
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit).map(toMailLogView);
  return { items: page, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}
