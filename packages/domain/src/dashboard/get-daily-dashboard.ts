import { z } from 'zod';
import type { TenantDeps } from '../shared/context.ts';
import { ZDay } from '../shared/input-rules.ts';
import { parisDay } from '../shared/paris-day.ts';

export const ZDailyDashboardInput = z
  .strictObject({ from: ZDay('Date invalide'), to: ZDay('Date invalide') })
  .refine((range) => range.from <= range.to, { path: ['to'], message: 'La fin précède le début' })
  .refine((range) => (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 <= 366, { path: ['to'], message: 'Un an au plus' });
export type TDailyDashboardInput = z.infer<typeof ZDailyDashboardInput>;

/** The dashboard's counters per day over a range, with the totals; money in cents. */
export async function getDailyDashboard({ tx, actor, now }: TenantDeps, input: TDailyDashboardInput) {
  const rows = await tx.dashboardDaily.findMany({
    where: { tenantId: actor.tenantId, day: { gte: new Date(input.from), lte: new Date(input.to) } },
    orderBy: { day: 'asc' },
  });
  const days = rows.map((r) => ({
    day: r.day.toISOString().slice(0, 10),
    newClients: r.newClients,
    contractsSigned: r.contractsSigned,
    invoicesIssued: r.invoicesIssued,
    invoicedCents: Number(r.invoicedCents),
    paymentsReceived: r.paymentsReceived,
    receivedCents: Number(r.receivedCents),
    paymentsRejected: r.paymentsRejected,
    rejectedCents: Number(r.rejectedCents),
  }));
  const totals = days.reduce(
    (sum, d) => {
      for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += d[key];
      return sum;
    },
    { newClients: 0, contractsSigned: 0, invoicesIssued: 0, invoicedCents: 0, paymentsReceived: 0, receivedCents: 0, paymentsRejected: 0, rejectedCents: 0 },
  );
  return { from: input.from, to: input.to, today: parisDay(now), days, totals };
}
