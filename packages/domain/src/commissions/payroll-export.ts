import { csvCell } from '../shared/csv-cells.ts';
import type { TenantDeps } from '../shared/context.ts';
import { dayDate } from './commission-lines.ts';
import type { TPayrollExportInput } from './commissions.schema.ts';

/**
 * The payroll export of a month's issued statements for salaried reps (agents invoice through
 * self-billing instead): one line per rep, amounts in euros with a comma, as payroll software
 * imports them (semicolon-separated, UTF-8 with BOM). Only what the member sees.
 */
export async function payrollExport({ tx, actor }: TenantDeps, input: TPayrollExportInput) {
  const rows = await tx.commissionStatement.findMany({
    where: { tenantId: actor.tenantId, month: dayDate(input.month), commissionStatus: 'salaried' },
    orderBy: { number: 'asc' },
    select: { number: true, netPayableCents: true, carriedForwardCents: true, totalCents: true, salesRep: { select: { code: true, firstName: true, lastName: true, payrollId: true } } },
  });
  const euros = (cents: number) => `${cents < 0 ? '-' : ''}${Math.trunc(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;
  // Text cells through the clients' export rule (a cell that starts like a formula stays text);
  // amounts are written by us, digits and a comma only, so a payroll tool reads them as numbers.
  const lines = [
    'matricule;code;nom;prenom;mois;releve;commissions_brutes;net_a_payer;solde_reporte',
    ...rows.map((r) =>
      [...[r.salesRep.payrollId ?? '', r.salesRep.code, r.salesRep.lastName, r.salesRep.firstName, input.month.slice(0, 7), r.number].map(csvCell), euros(r.totalCents), euros(r.netPayableCents), euros(r.carriedForwardCents)].join(';'),
    ),
  ];
  return { fileName: `paie-commissions-${input.month.slice(0, 7)}.csv`, csv: `\uFEFF${lines.join('\r\n')}\r\n`, count: rows.length };
}
