import type { Prisma } from '@crm/db';
import { isoOf } from '../payments/dates.ts';
import { keysetPages } from '../payments/list-pages.ts';
import { REASON_CATEGORY_LABELS, reasonLabel, type ReasonCategory } from '../sepa/sepa-reason-codes.ts';
import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import type { TListRejectsInput, TRejectIdInput } from './retries.schema.ts';

const rejectPages = keysetPages('rejects', 'createdAt', 'desc', 'instant');

const ITEM = { select: { id: true, status: true, dueDate: true, attempt: true, endToEndId: true, amountCents: true } } as const;

const REJECT_INCLUDE = {
  client: { select: { id: true, displayName: true, email: true } },
  contract: { select: { id: true, number: true } },
  scheduleItem: { select: { id: true, attempt: true, kind: true, mandateId: true, mandate: { select: { id: true, status: true, rum: true, originalIban: true } } } },
  retry: true,
} as const;

type RejectRow = Prisma.PaymentGetPayload<{ include: typeof REJECT_INCLUDE }>;

/**
 * What comes next for a rejection, as the queue says it: the consumer has not decided yet; a
 * re-presentation on its date (then in a batch, at the bank, paid or rejected again); or the
 * rejection is with dunning (its reason, the attempts used up, or a person stopped it).
 */
export type NextStep =
  | { kind: 'pending' }
  | { kind: 'represent'; date: string; itemStatus: string; attempt: number }
  | { kind: 'recovered'; date: string; attempt: number }
  | { kind: 'rejected_again'; date: string; attempt: number }
  | { kind: 'dunning'; why: 'not_retryable' | 'attempts_exhausted' | 'stopped' };

function nextStepOf(row: RejectRow, represented: { status: string; dueDate: Date; attempt: number } | undefined): NextStep {
  const retry = row.retry;
  if (!retry) return { kind: 'pending' };
  if (retry.decision === 'unrecovered') return { kind: 'dunning', why: retry.why as 'not_retryable' | 'attempts_exhausted' | 'stopped' };
  if (!represented) return { kind: 'pending' };
  const date = isoOf(represented.dueDate);
  if (represented.status === 'paid') return { kind: 'recovered', date, attempt: represented.attempt };
  if (represented.status === 'rejected') return { kind: 'rejected_again', date, attempt: represented.attempt };
  return { kind: 'represent', date, itemStatus: represented.status, attempt: represented.attempt };
}

function toRejectView(row: RejectRow, items: Map<string, { status: string; dueDate: Date; attempt: number; amountCents: number }>) {
  const retry = row.retry;
  const represented = retry?.representedItemId ? items.get(retry.representedItemId) : undefined;
  const fee = retry?.feeItemId ? items.get(retry.feeItemId) : undefined;
  const next = nextStepOf(row, represented);
  const category: ReasonCategory = row.reasonCategory ?? 'unknown';
  const mandate = row.scheduleItem?.mandate ?? null;
  const planned = next.kind === 'represent' && next.itemStatus === 'planned';
  return {
    id: row.id,
    rejectedOn: isoOf(row.valueDate),
    createdAt: row.createdAt.toISOString(),
    amountCents: row.amountCents,
    reasonCode: row.reasonCode,
    reasonLabel: reasonLabel(row.reasonCode),
    category,
    categoryLabel: REASON_CATEGORY_LABELS[category],
    rTransaction: row.rTransaction,
    attempt: row.scheduleItem?.attempt ?? 1,
    kind: row.scheduleItem?.kind ?? 'instalment',
    client: { id: row.client.id, displayName: row.client.displayName, hasEmail: Boolean(row.client.email) },
    contract: row.contract ? { id: row.contract.id, number: row.contract.number } : null,
    mandate: mandate ? { id: mandate.id, status: mandate.status, rum: mandate.rum, amended: mandate.originalIban !== null } : null,
    next,
    fee: fee ? { amountCents: fee.amountCents, status: fee.status } : null,
    bankDetailsRequestedAt: retry?.bankDetailsRequestedAt?.toISOString() ?? null,
    actions: {
      /** Re-present at the earliest date: a planned re-presentation brought forward, or a new one (rules checked on the server). */
      representNow: planned || next.kind === 'dunning' || next.kind === 'pending',
      /** Stop: a planned re-presentation withdrawn, or a rejection not decided yet, handed to dunning. */
      stop: planned || next.kind === 'pending',
      requestBankDetails: Boolean(row.client.email) && retry !== null,
    },
  };
}
export type RejectView = ReturnType<typeof toRejectView>;

async function viewsOf(tx: TenantDeps['tx'], tenantId: string, rows: RejectRow[]) {
  const ids = rows.flatMap((r) => [r.retry?.representedItemId, r.retry?.feeItemId]).filter((id): id is string => Boolean(id));
  const items = ids.length === 0 ? [] : await tx.scheduleItem.findMany({ where: { tenantId, id: { in: ids } }, ...ITEM });
  const byId = new Map(items.map((i) => [i.id, i]));
  return (row: RejectRow) => toRejectView(row, byId);
}

/** One page of the rejects queue, newest first. `open` leaves out what is settled: recovered, or with dunning. */
export async function listRejects({ tx, actor }: TenantDeps, input: TListRejectsInput) {
  const open: Prisma.PaymentWhereInput =
    input.view === 'open'
      ? {
          OR: [
            { retry: { is: null } },
            { retry: { is: { decision: 'represent', representedItem: { is: { status: { in: ['planned', 'batched', 'submitted'] } } } } } },
          ],
        }
      : {};
  const rows = await tx.payment.findMany({
    where: { tenantId: actor.tenantId, outcome: 'rejected', AND: [open, rejectPages.after<Prisma.PaymentWhereInput>(input.cursor)] },
    include: REJECT_INCLUDE,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const view = await viewsOf(tx, actor.tenantId, rows);
  return rejectPages.of(rows, input.limit, view);
}

/** One rejection of the queue. */
export async function getReject({ tx, actor }: TenantDeps, input: TRejectIdInput) {
  const row = await tx.payment.findFirst({ where: { id: input.paymentId, tenantId: actor.tenantId, outcome: 'rejected' }, include: REJECT_INCLUDE });
  if (!row) throw notFound('Rejet');
  return (await viewsOf(tx, actor.tenantId, [row]))(row);
}
