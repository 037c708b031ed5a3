import { planSchedule, type PlannedPeriod, type ScheduleLine } from '@crm/domain/browser';
import type { RouterOutputs } from '@crm/trpc';
import { t } from '../../i18n/fr.ts';
import { formatDate, formatEur, formatLongDate, formatPrice } from '../../lib/format.ts';

type Frequency = RouterOutputs['contracts']['get']['billingFrequency'];

export interface ScheduleDraft {
  /** SEPA debits are "prélèvements"; other methods have "échéances" the client pays. */
  paymentMethod: string;
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
          <ul className="debit-summary" data-testid="debit-summary">
            {debitSummary(periods, draft).map((sentence) => <li key={sentence}>{sentence}</li>)}
          </ul>
          <p className="muted" data-testid="schedule-summary">
            {s.summary(periods.length, formatEur(periods.reduce((sum, p) => sum + p.amountCents, 0)), draft.debitDay ?? 0)}
          </p>
          <div className="table-wrap"><table className="table table--stack">
            <thead><tr><th>{t.payments.period}</th><th>{t.payments.dueDate}</th><th>{s.amount}</th></tr></thead>
            <tbody>
              {periods.slice(0, SHOWN).map((p) => (
                <tr key={p.periodStart}>
                  <td data-label={t.payments.period}>{formatDate(p.periodStart)} – {formatDate(p.periodEnd)}{p.prorated ? ` (${s.prorated})` : ''}</td>
                  <td data-label={t.payments.dueDate}>{formatDate(p.dueDate)}</td>
                  <td data-label={s.amount}>{formatPrice(p.amountCents, null, 'TTC')}</td>
                </tr>
              ))}
              {periods.length > SHOWN && <tr><td colSpan={3} className="muted">{s.more(periods.length - SHOWN)}</td></tr>}
            </tbody>
          </table></div>
        </>
      )}
    </section>
  );
}

/**
 * What the client will be debited and when, in words: the first debit (with the periods it pays,
 * and why there are two debits when a prorated period and the first full one fall due the same
 * day), then the regular amount with its period, then a prorated last one.
 */
export function debitSummary(periods: PlannedPeriod[], draft: ScheduleDraft): string[] {
  const s = t.contracts.schedulePreview;
  const sepa = draft.paymentMethod === 'sepa_debit';
  const first = periods[0];
  if (!first) return [];
  const span = (p: PlannedPeriod) => s.span(formatDate(p.periodStart), formatDate(p.periodEnd), p.prorated);
  const ttc = (cents: number) => formatPrice(cents, null, 'TTC');
  const sameDay = periods.filter((p) => p.dueDate === first.dueDate);
  const sentences = [
    sameDay.length === 1
      ? s.firstDebit(sepa, ttc(first.amountCents), formatLongDate(first.dueDate), span(first))
      : s.firstDebits(sepa, formatLongDate(first.dueDate), ttc(sameDay.reduce((sum, p) => sum + p.amountCents, 0)), sameDay.map((p) => `${ttc(p.amountCents)} ${span(p)}`)),
  ];
  const rest = periods.slice(sameDay.length);
  const regular = rest.find((p) => !p.prorated);
  if (regular && draft.frequency && draft.frequency !== 'one_off') {
    sentences.push(s.then(sepa, formatPrice(regular.amountCents, draft.frequency, 'TTC'), draft.debitDay ?? 0, formatLongDate(regular.dueDate), rest.filter((p) => !p.prorated).length));
  }
  const last = rest.at(-1);
  if (last && last.prorated && rest.length > 1) sentences.push(s.last(sepa, ttc(last.amountCents), formatLongDate(last.dueDate), span(last)));
  return sentences;
}
