import type { Tx } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { parisDay } from '../shared/paris-day.ts';
import { buyerKindOf } from './create-invoice-draft.ts';
import { scheduleItemLines, writeDraftLines, type DraftLine } from './invoice-lines.ts';
import { addDays } from './invoice-rules.ts';
import type { TDraftInvoicesFromScheduleInput } from './invoices.schema.ts';

const day = (date: Date) => date.toISOString().slice(0, 10);
/** Items drafted per call: bounds one transaction; the next call (or job run) takes the rest. */
const MAX_ITEMS = 500;

/**
 * Drafts the invoices of schedule items due up to `until` that no invoice bills yet: one per
 * item, or one per client, month, buyer kind and payment method when the organisation groups
 * them. A cancelled item or an item of a cancelled contract gets none. Idempotent: an item is
 * linked to one invoice at most (the link's primary key), so a second call finds nothing to do,
 * and two concurrent calls cannot both bill an item (the second fails and rolls back whole).
 * Drafts of items cancelled since are deleted first.
 */
export async function draftInvoicesFromScheduleIn(ctx: { tx: Tx; tenantId: string; now: Date; createdBy: string | null }, until: string): Promise<string[]> {
  const { tx, tenantId, now } = ctx;
  // A draft billing an item cancelled since (a terminated or cancelled contract, an adjusted
  // schedule) goes: drafts have no number, and the items it billed with it are drafted again.
  await tx.invoice.deleteMany({ where: { tenantId, kind: 'invoice', status: 'draft', scheduleLinks: { some: { scheduleItem: { is: { status: 'cancelled' } } } } } });
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { invoiceGrouping: true, vatRegime: true } });
  const items = await tx.scheduleItem.findMany({
    where: {
      tenantId,
      status: { not: 'cancelled' },
      dueDate: { lte: new Date(`${until}T00:00:00Z`) },
      contract: { is: { tenantId, status: { notIn: ['draft', 'sent', 'cancelled'] } } },
      invoiceLinks: { none: {} },
      // A re-presentation is the same debt as the item it follows (billed by that item's invoice,
      // linked to it when created); a reject fee is no sale.
      originalItemId: null,
    },
    include: {
      contract: { select: { id: true, consumer: true, lines: { orderBy: { position: 'asc' } } } },
      client: { select: { id: true, kind: true } },
    },
    orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
    take: MAX_ITEMS,
  });
  const groups = new Map<string, typeof items>();
  for (const item of items) {
    const buyerKind = buyerKindOf(item.client.kind, item.contract);
    const key =
      organisation.invoiceGrouping === 'per_client_month'
        ? `${item.clientId}:${day(item.dueDate).slice(0, 7)}:${buyerKind}:${item.paymentMethod}`
        : item.id;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const today = parisDay(now);
  const created: string[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const buyerKind = buyerKindOf(first.client.kind, first.contract);
    const distinct = <T>(values: T[]) => [...new Set(values)];
    const contracts = distinct(group.map((i) => i.contractId));
    const mandates = distinct(group.map((i) => i.mandateId));
    const dueDates = group.map((i) => day(i.dueDate)).sort();
    const starts = group.map((i) => day(i.periodStart)).sort();
    const ends = group.map((i) => day(i.periodEnd)).sort();
    const invoice = await tx.invoice.create({
      data: {
        tenantId,
        series: buyerKind === 'business' ? 'b2b' : 'b2c',
        clientId: first.clientId,
        contractId: contracts.length === 1 ? contracts[0]! : null,
        mandateId: mandates.length === 1 ? mandates[0] : null,
        buyerKind,
        paymentMethod: first.paymentMethod,
        debitDate: new Date(`${dueDates.at(-1)!}T00:00:00Z`),
        dueDate: new Date(`${dueDates.at(-1)!}T00:00:00Z`),
        periodStart: new Date(`${starts[0]!}T00:00:00Z`),
        periodEnd: new Date(`${ends.at(-1)!}T00:00:00Z`),
        // A debit settled before the invoice is issued is prepaid (BT-113).
        paidCents: group.filter((i) => i.status === 'paid').reduce((sum, i) => sum + i.amountCents, 0),
        createdBy: ctx.createdBy,
        createdAt: now,
      },
      select: { id: true },
    });
    await tx.invoiceScheduleItem.createMany({ data: group.map((i) => ({ tenantId, scheduleItemId: i.id, invoiceId: invoice.id })) });
    const lines: DraftLine[] = [];
    for (const item of group) {
      lines.push(...(await scheduleItemLines(tx, tenantId, organisation.vatRegime, item, item.contract.lines, lines.length + 1, today)));
    }
    await writeDraftLines(tx, tenantId, invoice.id, lines);
    created.push(invoice.id);
  }
  return created;
}

/** `invoices.draftFromSchedule`: drafts for the items due within the notice days (or up to `until`). */
export async function draftInvoicesFromSchedule(deps: TenantDeps, input: TDraftInvoicesFromScheduleInput) {
  const { tx, actor, now } = deps;
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { invoiceNoticeDays: true } });
  const until = input.until ?? addDays(parisDay(now), organisation.invoiceNoticeDays);
  const ids = await draftInvoicesFromScheduleIn({ tx, tenantId: actor.tenantId, now, createdBy: actor.userId }, until);
  if (ids.length > 0) await auditAs(tx, actor, { action: 'invoice.drafts_from_schedule', entityType: 'invoice', data: { until, count: ids.length } });
  return { created: ids.length, invoiceIds: ids };
}

