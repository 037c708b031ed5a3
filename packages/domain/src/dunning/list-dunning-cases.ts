import type { Prisma } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { defineInstantCursor } from '../shared/keyset-cursor.ts';
import { loadClient } from '../shared/load-client.ts';
import { caseEntries, caseStatusLabel, nextStepOf } from './dunning-case-view.ts';
import { isoDay } from './dunning-cases.ts';
import { loadDunningPlans } from './dunning-plans.ts';
import { CHANNEL_LABELS, type Channel } from './dunning-rules.ts';
import type { TListDunningCasesInput } from './dunning.schema.ts';

const casesCursor = defineInstantCursor('dunning-cases/1');

/**
 * One page of cases, newest first (keyset on created_at, id): each with its client, what is owed,
 * its last step done and its next step (channel, when).
 */
export async function listDunningCases(deps: TenantDeps, input: TListDunningCasesInput) {
  const { tx, actor } = deps;
  const tenantId = actor.tenantId;
  if (input.clientId) await loadClient(deps, input.clientId, { id: true });
  const and: Prisma.DunningCaseWhereInput[] = [];
  if (input.cursor) {
    const [at, id] = casesCursor.decode(input.cursor);
    and.push({ createdAt: { lte: at } }, { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] });
  }
  const status = input.state === 'open' ? { in: ['open', 'paused'] } : input.state === 'closed' ? { startsWith: 'closed' } : undefined;
  const rows = await tx.dunningCase.findMany({
    where: {
      tenantId,
      ...(status ? { status } : {}),
      ...(input.purpose ? { purpose: input.purpose } : {}),
      ...(input.clientId ? { clientId: input.clientId } : {}),
      ...(and.length > 0 ? { AND: and } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const ids = page.map((r) => r.id);
  const [plans, clients, items, entries] = await Promise.all([
    loadDunningPlans(tx, tenantId),
    tx.client.findMany({ where: { tenantId, id: { in: page.map((r) => r.clientId) } }, select: { id: true, displayName: true } }),
    tx.dunningCaseItem.groupBy({ by: ['caseId'], where: { tenantId, caseId: { in: ids } }, _sum: { amountCents: true, paidCents: true } }),
    caseEntries(tx, tenantId, ids),
  ]);
  const last = page.at(-1);
  return {
    items: page.map((r) => {
      const plan = plans.find((p) => p.id === r.planId);
      const sums = items.find((i) => i.caseId === r.id)?._sum;
      const lastStep = entries.filter((e) => e.caseId === r.id && e.kind === 'step').at(-1);
      return {
        id: r.id,
        status: r.status,
        statusLabel: caseStatusLabel(r),
        purpose: r.purpose,
        audience: r.audience,
        level: r.level,
        client: clients.find((c) => c.id === r.clientId) ?? { id: r.clientId, displayName: '' },
        openedOn: isoDay(r.openedOn)!,
        owedCents: (sums?.amountCents ?? 0) - (sums?.paidCents ?? 0),
        lastStep: lastStep ? { channelLabel: CHANNEL_LABELS[lastStep.channel as Channel], title: lastStep.title, on: isoDay(lastStep.onDate)!, state: lastStep.state } : null,
        nextStep: nextStepOf(r, plan),
      };
    }),
    nextCursor: rows.length > input.limit && last ? casesCursor.encode(last.createdAt, last.id) : null,
  };
}
