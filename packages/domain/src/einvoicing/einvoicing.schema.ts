import { z } from 'zod';
import { ZDay } from '../shared/input-rules.ts';

export const ZTransmissionInvoiceInput = z.strictObject({ invoiceId: z.uuid('Facture invalide') });
export type TTransmissionInvoiceInput = z.infer<typeof ZTransmissionInvoiceInput>;

/** One invoice's statuses, or (no id) every transmission not at a final status yet. */
export const ZRefreshTransmissionsInput = z.strictObject({ invoiceId: z.uuid('Facture invalide').optional() });
export type TRefreshTransmissionsInput = z.infer<typeof ZRefreshTransmissionsInput>;

const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

/** A period of issue dates, both days included, one year at most. */
export const ZExportPeriodInput = z
  .strictObject({ from: ZDay(), to: ZDay() })
  .refine((p) => p.from <= p.to, { message: 'La fin de période précède son début', path: ['to'] })
  .refine((p) => daysBetween(p.from, p.to) <= 366, { message: 'Une année au plus', path: ['to'] });
export type TExportPeriodInput = z.infer<typeof ZExportPeriodInput>;
