import { useState, type FormEvent } from 'react';
import { FormMessage, TextField } from '../../components/form.tsx';
import { fieldErrorsOf, messageOf, type FieldErrors } from '../../lib/errors.ts';
import { useTRPCClient } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { t } from '../../i18n/fr.ts';

function saveText(name: string, content: string, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  Object.assign(document.createElement('a'), { href: url, download: name }).click();
  URL.revokeObjectURL(url);
}

const pad = (n: number) => String(n).padStart(2, '0');
/** The previous calendar month, as the default period of the exports. */
function lastMonth(today = new Date()): { from: string; to: string } {
  const first = new Date(today.getFullYear(), today.getMonth() - 1, 1);
  const last = new Date(today.getFullYear(), today.getMonth(), 0);
  const day = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return { from: day(first), to: day(last) };
}

/**
 * The accountant's exports on the invoices list: a period, then the sales journal in the FEC
 * layout (`invoicing.accountingJournal`) or the B2C e-reporting data (`invoicing.eReporting`),
 * each saved as the file the server names. Shown to the roles holding `accounting.read`.
 */
export function AccountingExport() {
  const canExport = useCan('accounting.read');
  const client = useTRPCClient();
  const [period, setPeriod] = useState(lastMonth);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [pending, setPending] = useState<'fec' | 'ereporting' | 'audit' | null>(null);
  if (!canExport) return null;

  const run = async (kind: 'fec' | 'ereporting' | 'audit') => {
    setPending(kind);
    setErrors({});
    setError(null);
    setSuccess(null);
    try {
      if (kind === 'fec') {
        const journal = await client.invoicing.accountingJournal.query(period);
        saveText(journal.fileName, journal.content, journal.mimeType);
        setSuccess(t.invoicing.exports.exported(journal.entries, journal.fileName));
      } else if (kind === 'audit') {
        const trail = await client.invoicing.auditTrail.query(period);
        saveText(trail.fileName, trail.content, trail.mimeType);
        setSuccess(t.invoicing.exports.downloaded(trail.fileName));
      } else {
        const data = await client.invoicing.eReporting.query(period);
        saveText(data.fileName, data.content, data.mimeType);
        setSuccess(t.invoicing.exports.downloaded(data.fileName));
      }
    } catch (caught) {
      const fields = fieldErrorsOf(caught);
      setErrors(fields);
      setError(Object.keys(fields).length ? null : messageOf(caught));
    } finally {
      setPending(null);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run('fec');
  };

  return (
    <form className="card inline-form" onSubmit={submit} noValidate aria-label={t.invoicing.exports.title}>
      <h2>{t.invoicing.exports.title}</h2>
      <FormMessage error={error} success={success} />
      <div className="grid">
        <TextField label={t.invoicing.exports.from} name="from" type="date" errors={errors} value={period.from} onChange={(e) => setPeriod({ ...period, from: e.target.value })} />
        <TextField label={t.invoicing.exports.to} name="to" type="date" errors={errors} value={period.to} onChange={(e) => setPeriod({ ...period, to: e.target.value })} />
      </div>
      <div className="actions">
        <button className="button button--primary" type="submit" disabled={pending !== null} title={t.invoicing.exports.fecHint}>{t.invoicing.exports.fec}</button>
        <button className="button" type="button" disabled={pending !== null} title={t.invoicing.exports.eReportingHint} onClick={() => void run('ereporting')}>{t.invoicing.exports.eReporting}</button>
        <button className="button" type="button" disabled={pending !== null} title={t.invoicing.exports.auditTrailHint} onClick={() => void run('audit')}>{t.invoicing.exports.auditTrail}</button>
      </div>
    </form>
  );
}
