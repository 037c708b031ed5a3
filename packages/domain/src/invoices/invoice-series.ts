import type { Tx } from '@crm/db';
import { reserveCounter } from '../shared/counters.ts';
import { formatInvoiceNumber, seriesCounterName } from './invoice-rules.ts';
import type { InvoiceSeriesName } from './invoices.schema.ts';

/** Each series' prefix until the organisation sets its own: distinct, so no two series print the same number. */
export const DEFAULT_SERIES: Record<InvoiceSeriesName, { prefix: string; yearlyReset: boolean }> = {
  b2c: { prefix: 'FA', yearlyReset: true },
  b2b: { prefix: 'FB', yearlyReset: true },
  credit_note: { prefix: 'AV', yearlyReset: true },
};

export const SERIES_LABELS: Record<InvoiceSeriesName, string> = {
  b2c: 'Factures aux particuliers',
  b2b: 'Factures aux professionnels',
  credit_note: 'Avoirs',
};

/** The organisation's setting of a series, or the default. */
export async function seriesSetting(tx: Tx, tenantId: string, series: InvoiceSeriesName) {
  const row = await tx.invoiceSeries.findUnique({ where: { tenantId_series: { tenantId, series } }, select: { prefix: true, yearlyReset: true } });
  return row ?? DEFAULT_SERIES[series];
}

/**
 * The next number of a series, in the issuing transaction. The counter row's lock (the upsert in
 * reserveCounter) is held until that transaction ends, so concurrent issuers queue on it: each
 * commit takes the next value, and a rollback gives its value back with the lock, so the
 * numbers committed are 1..n without gap or duplicate (CGI 242 nonies A: unique, continuous).
 * Never a SEQUENCE: a rolled-back nextval is lost, which is a gap.
 */
export async function takeInvoiceNumber(
  tx: Tx,
  tenantId: string,
  series: InvoiceSeriesName,
  issueDate: string,
  /** The series' setting when the caller has read it already (the issuing transaction has). */
  known?: { prefix: string; yearlyReset: boolean },
): Promise<string> {
  const setting = known ?? (await seriesSetting(tx, tenantId, series));
  const year = issueDate.slice(0, 4);
  const value = await reserveCounter(tx, tenantId, seriesCounterName(series, setting.yearlyReset, year));
  return formatInvoiceNumber(setting.prefix, setting.yearlyReset, year, value);
}
