import { useState, type FormEvent } from 'react';
import { FormMessage, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatDate, formatEur, maskIban } from '../../lib/format.ts';

/** The legal texts of a contract as the API serves them (domain contracts/legal-texts.ts): rendered, never rewritten. */
export interface LegalTexts {
  signatureConsent: string;
  mandate: string | null;
  withdrawal: string[] | null;
}

/** The SEPA mandate's wording with the debited account, and the withdrawal notice, as served. */
export function LegalTextsView({ legal, debtorName, iban }: { legal: LegalTexts; debtorName: string | null; iban: string | null }) {
  const c = t.contracts;
  return (
    <>
      {legal.mandate && (
        <section className="card stack" aria-label={c.mandateTitle}>
          <h2>{c.mandateTitle}</h2>
          <p data-testid="mandate-text">{legal.mandate}</p>
          {iban && <p><strong data-testid="mandate-account">{c.mandateAccount(debtorName ?? '', maskIban(iban))}</strong></p>}
        </section>
      )}
      {legal.withdrawal && (
        <section className="card stack" aria-label={c.withdrawalTitle}>
          <h2>{c.withdrawalTitle}</h2>
          {legal.withdrawal.map((paragraph) => <p key={paragraph.slice(0, 40)}>{paragraph}</p>)}
        </section>
      )}
    </>
  );
}

export interface SchedulePeriod {
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  amountCents: number;
  prorated: boolean;
}

/** The debits the contract gives, as the server computed them. */
export function ScheduleList({ periods, total, sepa }: { periods: SchedulePeriod[]; total: number; sepa: boolean }) {
  const c = t.contracts;
  return (
    <section className="card stack" aria-label={c.scheduleTitle(sepa)}>
      <h2>{c.scheduleTitle(sepa)}</h2>
      <ul className="schedule-list">
        {periods.map((p) => (
          <li key={p.dueDate + p.periodStart}>
            <span>{c.scheduleRow(formatDate(p.dueDate), formatDate(p.periodStart), formatDate(p.periodEnd), p.prorated)}</span> <strong>{formatEur(p.amountCents)}</strong>
          </li>
        ))}
      </ul>
      {total > periods.length && <p className="muted">{c.scheduleMore(total - periods.length)}</p>}
    </section>
  );
}

export interface SignatureValues {
  signerName: string;
  signerCapacity?: string;
  signedPlace?: string;
  consent: true;
}

/**
 * The signature itself, the same on every path: the typed name (a person's own; for a company,
 * the signer's name and capacity), the place, and the consent sentence the API served, shown as is.
 */
export function SignatureForm(props: {
  clientKind: string;
  clientName: string;
  city: string | null;
  consentText: string;
  pending: boolean;
  error: unknown;
  onSign: (values: SignatureValues) => void;
}) {
  const c = t.contracts;
  const company = props.clientKind === 'company';
  const [signerName, setSignerName] = useState('');
  const [signerCapacity, setSignerCapacity] = useState('');
  const [signedPlace, setSignedPlace] = useState<string | null>(null);
  const [consent, setConsent] = useState(false);
  const errors = fieldErrorsOf(props.error);
  // The client's city until something else is typed.
  const place = signedPlace ?? props.city ?? '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!consent) return;
    props.onSign({
      signerName,
      consent: true,
      ...(company ? { signerCapacity } : {}),
      ...(place.trim() ? { signedPlace: place } : {}),
    });
  };
  return (
    <form className="card stack" onSubmit={submit} noValidate aria-label={c.signSubmit}>
      <FormMessage error={Object.keys(errors).length ? null : messageOf(props.error)} />
      <TextField label={c.signerName} name="signerName" errors={errors} value={signerName} autoComplete="name"
        hint={company ? c.signerNameCompanyHint : c.signerNameHint(props.clientName)} onChange={(e) => setSignerName(e.target.value)} />
      {company && (
        <TextField label={c.signerCapacity} name="signerCapacity" errors={errors} value={signerCapacity} hint={c.signerCapacityHint} onChange={(e) => setSignerCapacity(e.target.value)} />
      )}
      <TextField label={c.signedPlace} name="signedPlace" errors={errors} value={place} hint={c.signedPlaceHint} onChange={(e) => setSignedPlace(e.target.value)} />
      <label className="checkbox">
        <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} /> <span data-testid="signature-consent">{props.consentText}</span>
      </label>
      <div className="actions">
        <button className="button button--primary" type="submit"
          disabled={!consent || signerName.trim().length < 2 || (company && signerCapacity.trim().length < 2) || props.pending}>
          {c.signSubmit}
        </button>
      </div>
    </form>
  );
}
