import { planSchedule, type PlannedPeriod, type ScheduleLine } from '@crm/domain/browser';
import type { RouterOutputs } from '@crm/trpc';
import { t } from '../../i18n/fr.ts';
import { formatDate, formatEur } from '../../lib/format.ts';

type Frequency = RouterOutputs['contracts']['get']['billingFrequency'];

export interface ScheduleDraft {
  startDate: string;
  durationMonths: number;
  frequency: Frequency | null;
  /** The contract's own debit day, else the organisation's; null while not known. */
  debitDay: number | null;
  /** null when a line is not complete yet (no product, no price, no VAT rate). */
  lines: ScheduleLine[] | null;
}

const SHOWN = 12;

/**
 * The schedule that signing will create, computed with the same rules as the payments worker
 * (`planSchedule` from the domain): periods, due dates on the debit day, first and last periods
 * prorated. The server stays the reference; this is what the form promises.
 */
export function planOf(draft: ScheduleDraft): PlannedPeriod[] | null {
  const { startDate, durationMonths, frequency, debitDay, lines } = draft;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate) || Number.isNaN(Date.parse(startDate))) return null;
  if (!Number.isInteger(durationMonths) || durationMonths < 1 || durationMonths > 120) return null;
  if (!frequency || debitDay === null || !lines?.length) return null;
  return planSchedule({ startDate, durationMonths, frequency, debitDay, lines });
}

export function SchedulePreview({ draft }: { draft: ScheduleDraft }) {
  const periods = planOf(draft);
  const s = t.contracts.schedulePreview;
  return (
    <section className="card stack" aria-label={s.title}>
      <h2>{s.title}</h2>
      {!periods ? (
        <p className="muted">{s.incomplete}</p>
      ) : (
        <>
          <p className="muted" data-testid="schedule-summary">
            {s.summary(periods.length, formatEur(periods.reduce((sum, p) => sum + p.amountCents, 0)), draft.debitDay ?? 0)}
          </p>
          <table className="table">
            <thead><tr><th>{t.payments.period}</th><th>{t.payments.dueDate}</th><th>{s.amount}</th></tr></thead>
            <tbody>
              {periods.slice(0, SHOWN).map((p) => (
                <tr key={p.periodStart}>
                  <td>{formatDate(p.periodStart)} – {formatDate(p.periodEnd)}{p.prorated ? ` (${s.prorated})` : ''}</td>
                  <td>{formatDate(p.dueDate)}</td>
                  <td>{formatEur(p.amountCents)}</td>
                </tr>
              ))}
              {periods.length > SHOWN && <tr><td colSpan={3} className="muted">{s.more(periods.length - SHOWN)}</td></tr>}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
