import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { t } from '../../i18n/fr.ts';
import { formatDate } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';

const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

/**
 * The reference data every organisation shares (seeded by migration, read-only here): SEPA return
 * reasons, VAT rates, legal forms, countries, and the calendars debit dates are computed from.
 */
export function ReferenceDataPage() {
  const trpc = useTRPC();
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric' }).format(new Date()));
  const [shownYear, setShownYear] = useState(year);
  const [countrySearch, setCountrySearch] = useState('');
  const reasons = useQuery(trpc.referentiel.sepaReturnReasons.queryOptions());
  const vatRates = useQuery(trpc.referentiel.vatRates.queryOptions());
  const legalForms = useQuery(trpc.referentiel.legalForms.queryOptions());
  const countries = useQuery(trpc.referentiel.countries.queryOptions());
  const holidays = useQuery(trpc.calendar.holidays.queryOptions({ year: shownYear }));
  const next = useQuery(trpc.calendar.nextCollectionDate.queryOptions({}));
  const shownCountries = (countries.data ?? []).filter((c) => !countrySearch || fold(`${c.code} ${c.nameFr}`).includes(fold(countrySearch)));
  const r = t.referenceData;
  return (
    <section className="stack">
      <p className="muted">{r.intro}</p>
      <div className="card">
        <h2>{r.collection}</h2>
        {next.data && <p>{r.nextCollection(formatDate(next.data.collectionDate), next.data.rules.preNotificationDays, next.data.rules.cutOffBusinessDays)}</p>}
        <div className="actions">
          <button type="button" className="button button--ghost" onClick={() => setShownYear(shownYear - 1)}>←</button>
          <strong>{shownYear}</strong>
          <button type="button" className="button button--ghost" onClick={() => setShownYear(shownYear + 1)}>→</button>
        </div>
        <div className="grid">
          <div>
            <h3>{r.frenchHolidays}</h3>
            <ul className="plain-list">{holidays.data?.france.map((h) => <li key={h.date}>{formatDate(h.date)} — {h.name}</li>)}</ul>
          </div>
          <div>
            <h3>{r.target2}</h3>
            <ul className="plain-list">{holidays.data?.target2.map((h) => <li key={h.date}>{formatDate(h.date)} — {h.name}</li>)}</ul>
          </div>
        </div>
      </div>
      <div className="card">
        <h2>{r.returnReasons}</h2>
        <div className="table-wrap"><table className="table">
          <thead><tr><th>{r.code}</th><th>{r.label}</th><th>{r.category}</th><th>{r.canRepresent}</th></tr></thead>
          <tbody>
            {reasons.data?.map((reason) => (
              <tr key={reason.code}>
                <td><code>{reason.code}</code></td>
                <td>{reason.labelFr}</td>
                <td>{t.payments.reasonCategories[reason.category]}</td>
                <td>{reason.category === 'insufficient_funds' ? r.yes : reason.code === 'MS03' ? r.ms03Setting : r.no}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      </div>
      <div className="grid">
        <div className="card">
          <h2>{r.vatRates}</h2>
          <div className="table-wrap"><table className="table">
            <tbody>{vatRates.data?.map((v) => <tr key={v.code}><td>{v.labelFr}</td><td>{(v.rateBasisPoints / 100).toLocaleString('fr-FR')} %</td></tr>)}</tbody>
          </table></div>
        </div>
        <div className="card">
          <h2>{r.legalForms}</h2>
          <div className="table-wrap"><table className="table">
            <tbody>{legalForms.data?.map((f) => <tr key={f.code}><td><code>{f.code}</code></td><td>{f.label}</td></tr>)}</tbody>
          </table></div>
        </div>
      </div>
      <div className="card">
        <h2>{r.countries} ({countries.data?.length ?? 0})</h2>
        <input type="search" aria-label={r.searchCountry} placeholder={r.searchCountry} value={countrySearch} onChange={(e) => setCountrySearch(e.target.value)} />
        <div className="table-wrap"><table className="table">
          <thead><tr><th>{r.code}</th><th>{r.label}</th><th>{r.sepa}</th></tr></thead>
          <tbody>
            {shownCountries.slice(0, 50).map((c) => (
              <tr key={c.code}><td><code>{c.code}</code></td><td>{c.nameFr}</td><td>{c.isSepa ? r.yes : ''}</td></tr>
            ))}
          </tbody>
        </table></div>
      </div>
    </section>
  );
}
