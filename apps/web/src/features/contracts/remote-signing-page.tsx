import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate, formatDateTime, formatPrice } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { LegalTextsView, ScheduleList, SignatureForm } from './signing-parts.tsx';

/**
 * Where the signing link of a contract's mail leads (`/signature#<token>`), with no login: the
 * token after '#' never reaches a server log; it is taken out of the address bar and kept in
 * memory. The client reads the contract, the mandate with the masked IBAN and the schedule, all
 * as the API serves them, and signs with the same form as in the app.
 */
export function RemoteSigningPage() {
  const trpc = useTRPC();
  // Read during render, taken out of the address bar once mounted: a render React throws away
  // (a lazy chunk or a query suspending) must still find it.
  const [token] = useState(() => window.location.hash.slice(1));
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
  }, []);
  const page = useQuery({ ...trpc.signing.get.queryOptions({ token }), enabled: token.length > 0, retry: false, refetchOnWindowFocus: false });
  const sign = useMutation(trpc.signing.sign.mutationOptions());
  const s = t.signing;
  let body;
  if (!token) body = <FormMessage error={s.missingLink} />;
  else if (sign.isSuccess) body = <p role="status" className="notice">{s.done(sign.data.number)}</p>;
  else if (page.isError) body = <FormMessage error={messageOf(page.error)} />;
  else if (!page.data) body = <p>{s.loading}</p>;
  else {
    const { contract: c, legal, schedule, organisation } = page.data;
    const sepa = c.paymentMethod === 'sepa_debit';
    body = (
      <>
        <p>{s.intro(organisation.name, c.number)}</p>
        <p className="muted">{s.expires(formatDateTime(page.data.expiresAt))}</p>
        <section className="card stack" aria-label={s.contract}>
          <h2>{s.contract}</h2>
          <dl className="facts">
            <dt>{s.client}</dt><dd>{c.client.displayName}</dd>
            <dt>{s.start}</dt><dd>{formatDate(c.startDate)}</dd>
            <dt>{s.duration}</dt><dd>{t.contracts.durationValue(c.durationMonths)}{c.tacitRenewal ? ` · ${t.contracts.tacitRenewal}` : ''}</dd>
            <dt>{s.payment}</dt><dd>{t.contracts.paymentMethods[c.paymentMethod]}</dd>
            <dt>{s.total}</dt><dd>{formatPrice(c.totals.ttcCents, c.billingFrequency, 'TTC')}</dd>
          </dl>
          <ul>
            {c.lines.map((line) => <li key={line.id}>{line.quantity} × {line.label} : {formatPrice(line.ttcCents, c.billingFrequency, 'TTC')}</li>)}
          </ul>
        </section>
        <ScheduleList periods={schedule.periods} total={schedule.total} sepa={sepa} />
        <LegalTextsView legal={legal} debtorName={c.debtorName} iban={c.debtorIban} />
        <SignatureForm clientKind={c.client.kind} clientName={c.client.displayName} city={c.client.city} consentText={legal.signatureConsent}
          pending={sign.isPending} error={sign.error} onSign={(values) => sign.mutate({ token, ...values })} />
      </>
    );
  }
  return (
    <main className="signing-page">
      <div className="stack signing-page__body">
        <h1>{s.title}</h1>
        {body}
      </div>
    </main>
  );
}
