import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest } from '../shared/errors.ts';
import { invoiceSettingsOf } from './get-invoice-settings.ts';
import { DEFAULT_SERIES } from './invoice-series.ts';
import { INVOICE_SERIES, type TUpdateInvoiceSettingsInput } from './invoices.schema.ts';

/**
 * Changes the invoice settings. A series' prefix or reset changes the numbers issued from now
 * on; the counter goes on (the series stays continuous). Two series may not share a prefix.
 */
export async function updateInvoiceSettings(deps: TenantDeps, input: TUpdateInvoiceSettingsInput) {
  const { tx, actor } = deps;
  const tenantId = actor.tenantId;
  const { series, ...organisationFields } = input;
  if (series) {
    const current = await invoiceSettingsOf(tx, tenantId);
    const next = INVOICE_SERIES.map((name) => {
      const now = current.series.find((s) => s.series === name)!;
      return { series: name, prefix: series[name]?.prefix ?? now.prefix, yearlyReset: series[name]?.yearlyReset ?? now.yearlyReset };
    });
    const prefixes = next.map((s) => s.prefix);
    const duplicate = next.find((s, i) => prefixes.indexOf(s.prefix) !== i);
    if (duplicate) throw badRequest('Deux séries ne peuvent pas avoir le même préfixe', { [`series.${duplicate.series}.prefix`]: ['Préfixe déjà pris par une autre série'] });
    // Prefixes may swap between series: clear them first, then write the new ones.
    for (const s of next) {
      await tx.invoiceSeries.upsert({
        where: { tenantId_series: { tenantId, series: s.series } },
        create: { tenantId, series: s.series, prefix: `TMP-${INVOICE_SERIES.indexOf(s.series)}`, yearlyReset: DEFAULT_SERIES[s.series].yearlyReset },
        update: { prefix: `TMP-${INVOICE_SERIES.indexOf(s.series)}` },
      });
    }
    for (const s of next) {
      await tx.invoiceSeries.update({ where: { tenantId_series: { tenantId, series: s.series } }, data: { prefix: s.prefix, yearlyReset: s.yearlyReset } });
    }
  }
  const data = Object.fromEntries(Object.entries(organisationFields).filter(([, v]) => v !== undefined));
  if (Object.keys(data).length > 0) {
    await tx.organisation.update({
      where: { id: tenantId },
      data: { ...data, ...(data.shareCapitalCents === undefined ? {} : { shareCapitalCents: data.shareCapitalCents === null ? null : BigInt(data.shareCapitalCents as number) }) },
    });
  }
  await auditAs(tx, actor, { action: 'invoice.settings_updated', entityType: 'organisation', entityId: tenantId, data: { fields: [...(series ? ['series'] : []), ...Object.keys(data)] } });
  return invoiceSettingsOf(tx, tenantId);
}
