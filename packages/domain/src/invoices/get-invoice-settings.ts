import type { Tx } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { DEFAULT_SERIES, SERIES_LABELS } from './invoice-series.ts';
import { INVOICE_SERIES } from './invoices.schema.ts';

export async function invoiceSettingsOf(tx: Tx, tenantId: string) {
  const o = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId } });
  const rows = await tx.invoiceSeries.findMany({ where: { tenantId } });
  return {
    series: INVOICE_SERIES.map((series) => {
      const row = rows.find((r) => r.series === series) ?? DEFAULT_SERIES[series];
      return { series, label: SERIES_LABELS[series], prefix: row.prefix, yearlyReset: row.yearlyReset };
    }),
    shareCapitalCents: o.shareCapitalCents === null ? null : Number(o.shareCapitalCents),
    rcsCity: o.rcsCity,
    vatRegime: o.vatRegime,
    vatOnDebits: o.vatOnDebits,
    latePenaltyRateText: o.latePenaltyRateText,
    latePenaltyRateBasisPoints: o.latePenaltyRateBasisPoints,
    discountTerms: o.discountTerms,
    invoiceGrouping: o.invoiceGrouping,
    invoiceNoticeDays: o.invoiceNoticeDays,
    invoiceAutoIssue: o.invoiceAutoIssue,
  };
}

/** The organisation's invoice settings: series, what the mentions need, grouping and notice days. */
export async function getInvoiceSettings(deps: TenantDeps) {
  return invoiceSettingsOf(deps.tx, deps.actor.tenantId);
}
