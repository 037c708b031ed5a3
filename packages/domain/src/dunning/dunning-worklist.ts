import type { TenantDeps } from '../shared/context.ts';
import { parisDay } from '../shared/paris-day.ts';
import { dateOf, isoDay } from './dunning-cases.ts';
import { loadDunningPlans } from './dunning-plans.ts';
import { CHANNEL_LABELS, type Channel } from './dunning-rules.ts';
import type { TDunningWorklistInput } from './dunning.schema.ts';

/**
 * The back office's day: the dunning tasks still to do up to that day (calls, follow-ups), the steps
 * the night will run or left to a person (pending letters, failed ones), the instalments due and
 * unpaid. Today in Paris unless a day is asked.
 */
export async function dunningWorklist(deps: TenantDeps, input: TDunningWorklistInput) {
  const { tx, actor } = deps;
  const tenantId = actor.tenantId;
  const day = input.day ?? parisDay(deps.now);
  const [plans, due, attention, instalments] = await Promise.all([
    loadDunningPlans(tx, tenantId),
    tx.dunningCase.findMany({ where: { tenantId, status: 'open', nextStepOn: { lte: dateOf(day) } }, orderBy: [{ nextStepOn: 'asc' }, { id: 'asc' }], take: 200 }),
    tx.dunningCaseEntry.findMany({ where: { tenantId, kind: 'step', state: { in: ['pending', 'failed'] } }, orderBy: { at: 'asc' }, take: 200 }),
    tx.dunningInstalment.findMany({ where: { tenantId, dueOn: { lte: dateOf(day) } }, orderBy: { dueOn: 'asc' }, take: 500 }),
  ]);
  const taskIds = (await tx.dunningCaseEntry.findMany({ where: { tenantId, kind: 'step', channel: 'task', activityId: { not: null } }, select: { activityId: true, caseId: true }, orderBy: { at: 'desc' }, take: 1000 }));
  const tasks = taskIds.length
    ? await tx.activity.findMany({ where: { tenantId, id: { in: taskIds.map((t) => t.activityId!) }, doneAt: null, dueDate: { lte: dateOf(day) } }, select: { id: true, subject: true, dueDate: true, clientId: true, ownerUserId: true }, orderBy: { dueDate: 'asc' } })
    : [];
  const lateInstalments = instalments.filter((i) => i.paidCents < i.amountCents);
  const caseIds = [...new Set([...due.map((c) => c.id), ...attention.map((e) => e.caseId), ...lateInstalments.map((i) => i.caseId)])];
  const cases = await tx.dunningCase.findMany({ where: { tenantId, id: { in: caseIds } }, select: { id: true, clientId: true } });
  const clientIds = [...new Set([...cases.map((c) => c.clientId), ...tasks.flatMap((t) => (t.clientId ? [t.clientId] : []))])];
  const clients = await tx.client.findMany({ where: { tenantId, id: { in: clientIds } }, select: { id: true, displayName: true } });
  const clientOfCase = (caseId: string) => {
    const clientId = cases.find((c) => c.id === caseId)?.clientId;
    return clients.find((c) => c.id === clientId) ?? null;
  };
  return {
    day,
    tasks: tasks.map((t) => ({ activityId: t.id, subject: t.subject, dueDate: isoDay(t.dueDate), client: clients.find((c) => c.id === t.clientId) ?? null, caseId: taskIds.find((x) => x.activityId === t.id)?.caseId ?? null })),
    dueSteps: due.map((c) => {
      const step = plans.find((p) => p.id === c.planId)?.steps[c.level];
      return { caseId: c.id, client: clientOfCase(c.id), on: isoDay(c.nextStepOn), channelLabel: step ? CHANNEL_LABELS[step.channel] : null, subject: step?.subject ?? null };
    }),
    attention: attention.map((e) => ({ caseId: e.caseId, client: clientOfCase(e.caseId), state: e.state, title: e.title, channelLabel: CHANNEL_LABELS[e.channel as Channel], on: isoDay(e.onDate) })),
    instalments: lateInstalments.map((i) => ({ caseId: i.caseId, client: clientOfCase(i.caseId), position: i.position, dueOn: isoDay(i.dueOn), owedCents: i.amountCents - i.paidCents })),
  };
}
