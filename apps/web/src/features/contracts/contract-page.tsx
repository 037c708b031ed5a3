import { parisDay } from '@crm/domain/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { FormMessage, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatDate, formatDateTime, formatLongDate, formatPrice } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { DocumentsPanel } from '../documents/documents-panel.tsx';
import { ContractSchedule } from '../payments/contract-schedule.tsx';
import { ContractAmount, downloadContractFile, StatusBadge } from './contract-common.tsx';
import { MaskedIban } from '../../components/masked-iban.tsx';
import { useDialogs } from '../../components/confirm-dialog.tsx';

// The preview bundles domain rules (and their zod): loaded with the contract pages that show it, not with the app.
const SchedulePreview = lazy(() => import('./schedule-preview.tsx').then((m) => ({ default: m.SchedulePreview })));

const percent = (basisPoints: number) => `${(basisPoints / 100).toLocaleString('fr-FR')} %`;
const today = () => parisDay(new Date());

function useContract(contractId: string) {
  const trpc = useTRPC();
  return useQuery(trpc.contracts.get.queryOptions({ contractId }));
}

export function ContractPage() {
  const { contractId = '' } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('contracts.write');
  const canSign = useCan('contracts.sign');
  const dialogs = useDialogs();
  const contract = useContract(contractId);
  const canReadPayments = useCan('payments.read');
  const scheduled = contract.data !== undefined && !['draft', 'sent'].includes(contract.data.status);
  const schedule = useQuery({ ...trpc.payments.schedule.queryOptions({ contractId }), enabled: canReadPayments && scheduled });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.contracts.pathKey() });
  const options = { onSuccess: refresh };
  const send = useMutation(trpc.contracts.send.mutationOptions(options));
  const activate = useMutation(trpc.contracts.activate.mutationOptions(options));
  const suspend = useMutation(trpc.contracts.suspend.mutationOptions(options));
  const resume = useMutation(trpc.contracts.resume.mutationOptions(options));
  const terminate = useMutation(trpc.contracts.terminate.mutationOptions(options));
  const cancel = useMutation(trpc.contracts.cancel.mutationOptions(options));
  const withdraw = useMutation(trpc.contracts.withdraw.mutationOptions(options));
  const failed = [send, activate, suspend, resume, terminate, cancel, withdraw].find((m) => m.isError)?.error;
  if (!contract.data) return <p>{contract.isError ? messageOf(contract.error) : t.app.loading}</p>;
  const c = contract.data;
  const a = t.contracts.actions;
  const id = { contractId: c.id };
  const w = t.contracts.whatHappens;
  const sepa = c.paymentMethod === 'sepa_debit';
  // The first debit still to come, for "le client sera prélevé à partir du …" (from the schedule
  // the worker made at signing; unknown until then or without the right to read payments).
  const nextDue = schedule.data?.items.find((item) => item.status === 'planned')?.dueDate;
  /** What each action will do, said in the dialog before it is done. */
  const messages: Record<string, string> = {
    [a.send]: w.send,
    [a.activate]: nextDue ? w.activateFrom(sepa, formatLongDate(nextDue)) : w.activate(sepa),
    [a.suspend]: w.suspend(sepa),
    [a.resume]: w.resume(sepa),
    [a.terminate]: w.terminate,
    [a.withdraw]: w.withdraw,
    [a.cancel]: w.cancel,
  };
  const ask = (label: string, danger?: boolean) => ({
    title: t.contracts.confirm(label, c.number),
    confirmLabel: label,
    ...(messages[label] ? { message: messages[label] } : {}),
    ...(danger ? { danger } : {}),
  });
  /** A transition that needs nothing but a yes. */
  const confirmed = (label: string, run: () => void, danger?: boolean) => async () => {
    if (await dialogs.confirm(ask(label, danger))) run();
  };
  // Each action asks in the app's dialog (with the value it needs, for terminate and cancel), then runs.
  const actions: { label: string; when: boolean; run: () => Promise<void>; danger?: boolean }[] = [
    { label: a.send, when: c.status === 'draft', run: confirmed(a.send, () => send.mutate(id)) },
    { label: a.activate, when: c.status === 'signed', run: confirmed(a.activate, () => activate.mutate(id)) },
    { label: a.suspend, when: c.status === 'active', run: confirmed(a.suspend, () => suspend.mutate(id)) },
    { label: a.resume, when: c.status === 'suspended', run: confirmed(a.resume, () => resume.mutate(id)) },
    {
      label: a.terminate,
      when: c.status === 'active' || c.status === 'suspended',
      danger: true,
      run: async () => {
        const endDate = await dialogs.prompt({ ...ask(a.terminate, true), field: { label: t.contracts.endDatePrompt, type: 'date', initial: today() } });
        if (endDate) terminate.mutate({ ...id, endDate });
      },
    },
    {
      label: a.withdraw,
      // Until the deadline the server computes (the server still decides).
      when: c.consumer && ['signed', 'active', 'suspended'].includes(c.status) && (c.withdrawalDeadline === null || today() <= c.withdrawalDeadline),
      danger: true,
      run: confirmed(a.withdraw, () => withdraw.mutate(id), true),
    },
    {
      label: a.cancel,
      when: ['draft', 'sent', 'signed'].includes(c.status),
      danger: true,
      run: async () => {
        const reason = await dialogs.prompt({ ...ask(a.cancel, true), field: { label: t.contracts.reasonPrompt } });
        if (reason) cancel.mutate({ ...id, reason });
      },
    },
  ];
  return (
    <section className="stack">
      <Link to="/contrats">{t.contracts.back}</Link>
      <div className="page-header">
        <h1>{c.number} <StatusBadge status={c.status} /></h1>
        <div className="actions">
          {canWrite && c.status === 'draft' && <Link className="button button--ghost" to={`/contrats/${c.id}/modifier`}>{t.contracts.edit}</Link>}
          {canSign && c.status === 'sent' && <Link className="button button--primary" to={`/contrats/${c.id}/signature`}>{a.sign}</Link>}
          {canWrite && actions.filter((action) => action.when).map((action) => (
            <button key={action.label} type="button" className={action.danger ? 'button button--danger' : 'button button--ghost'}
              onClick={() => void action.run()}>
              {action.label}
            </button>
          ))}
        </div>
      </div>
      <FormMessage error={failed ? messageOf(failed) : null} />
      {failed && Object.entries(fieldErrorsOf(failed)).map(([field, messages]) => <p key={field} className="field__error" role="alert">{messages.join(' ')}</p>)}
      <div className="card">
        <dl className="facts">
          <dt>{t.contracts.client}</dt><dd><Link to={`/clients/${c.client.id}`}>{c.client.displayName}</Link></dd>
          <dt>{t.contracts.startDate}</dt><dd>{formatDate(c.startDate)}</dd>
          <dt>{t.contracts.duration}</dt><dd>{t.contracts.durationValue(c.durationMonths)}</dd>
          <dt>{t.contracts.tacitRenewal}</dt><dd>{c.tacitRenewal ? t.contracts.yes : t.contracts.no}</dd>
          <dt>{t.contracts.frequency}</dt><dd>{t.products.frequencies[c.billingFrequency]}</dd>
          <dt>{t.contracts.paymentMethod}</dt><dd>{t.contracts.paymentMethods[c.paymentMethod]}</dd>
          {c.paymentMethod === 'sepa_debit' && (<><dt>{t.contracts.debtorName}</dt><dd>{c.debtorName ?? '—'}</dd><dt>{t.contracts.iban}</dt><dd>{c.debtorIban ? <MaskedIban iban={c.debtorIban} canReveal={canWrite} /> : '—'}</dd><dt>{t.contracts.sepaScheme}</dt><dd>{t.contracts.sepaSchemes[c.sepaScheme]}</dd></>)}
          {c.signedAt && (<><dt>{t.contracts.statuses.signed}</dt><dd>{t.contracts.signedOn(formatDateTime(c.signedAt), c.signerName ?? '')}{c.signedPlace ? ` (${c.signedPlace})` : ''}</dd></>)}
          {c.consentText && (<><dt>{t.contracts.consentGiven}</dt><dd data-testid="signature-consent-stored">{c.consentText}</dd></>)}
          {c.withdrawalDeadline && ['signed', 'active', 'suspended'].includes(c.status) && (
            <>
              <dt>{t.contracts.withdrawal}</dt>
              <dd>{today() <= c.withdrawalDeadline ? t.contracts.withdrawalUntil(formatDate(c.withdrawalDeadline)) : t.contracts.withdrawalOver(formatDate(c.withdrawalDeadline))}</dd>
            </>
          )}
          {c.endDate && (<><dt>{a.terminate}</dt><dd>{formatDate(c.endDate)}</dd></>)}
          {c.cancellationReason && (<><dt>{t.contracts.reasonPrompt}</dt><dd>{c.cancellationReason}</dd></>)}
        </dl>
      </div>
      <ContractLines contract={c} />
      <div className="card">
        <h2>{t.contracts.documents}</h2>
        <div className="actions" style={{ justifyContent: 'flex-start' }}>
          <button type="button" className="button button--ghost" onClick={() => void downloadContractFile(c.id, 'pdf')}>{t.contracts.contractPdf}</button>
          {c.paymentMethod === 'sepa_debit' && <button type="button" className="button button--ghost" onClick={() => void downloadContractFile(c.id, 'mandate.pdf')}>{t.contracts.mandatePdf}</button>}
        </div>
      </div>
      {/* The worker makes the schedule when the contract is signed; until then, what it will be. */}
      {c.status === 'draft' || c.status === 'sent' ? <ContractSchedulePreview contract={c} /> : <ContractSchedule contractId={c.id} />}
      <DocumentsPanel contractId={c.id} />
      <div className="card">
        <h2>{t.contracts.history}</h2>
        <ul>
          {c.history.map((h) => (
            <li key={`${h.at}-${h.to}`}>{formatDateTime(h.at)} : {t.contracts.statuses[h.to]}{h.reason ? ` (${h.reason})` : ''}</li>
          ))}
        </ul>
      </div>
    </section>
  );
}

type ContractData = NonNullable<ReturnType<typeof useContract>['data']>;

function ContractSchedulePreview({ contract: c }: { contract: ContractData }) {
  const trpc = useTRPC();
  const organisation = useQuery(trpc.organisations.get.queryOptions());
  const debitDay = c.debitDay ?? organisation.data?.sepaDebitDay ?? null;
  return (
    <Suspense fallback={<p className="muted">{t.app.loading}</p>}>
      <SchedulePreview draft={{ paymentMethod: c.paymentMethod, startDate: c.startDate, durationMonths: c.durationMonths, frequency: c.billingFrequency, debitDay, lines: c.lines }} />
    </Suspense>
  );
}

function ContractLines({ contract: c }: { contract: ContractData }) {
  // Every line is billed at the contract's frequency: its price is per contract period.
  const f = c.billingFrequency;
  return (
    <div className="table-wrap"><table className="table table--stack" aria-label={t.contracts.linesTable}>
      <thead><tr><th>{t.contracts.product}</th><th>{t.contracts.quantity}</th><th>{t.contracts.unitPrice}</th><th>{t.contracts.vat}</th><th>{t.contracts.totalHt}</th></tr></thead>
      <tbody>
        {c.lines.map((line) => (
          <tr key={line.id}><td>{line.label}</td><td data-label={t.contracts.quantity}>{line.quantity}</td><td data-label={t.contracts.unitPrice}>{formatPrice(line.unitPriceCents, f, 'HT')}</td><td data-label={t.contracts.vat}>{percent(line.vatRateBasisPoints)}</td><td data-label={t.contracts.totalHt}>{formatPrice(line.htCents, f, 'HT')}</td></tr>
        ))}
        <tr className="table__total"><td colSpan={4}>{t.contracts.totalHt}</td><td>{formatPrice(c.totals.htCents, f, 'HT')}</td></tr>
        <tr className="table__total"><td colSpan={4}>{t.contracts.totalVat}</td><td>{formatPrice(c.totals.vatCents, f, null)}</td></tr>
        <tr className="table__total"><td colSpan={4}><strong>{t.contracts.totalTtc}</strong></td><td><strong><ContractAmount ttcCents={c.totals.ttcCents} frequency={f} /></strong></td></tr>
      </tbody>
    </table></div>
  );
}

/** The signing page: the client reads the summary and the PDF, types their name and consents. */
export function ContractSignPage() {
  const { contractId = '' } = useParams();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const contract = useContract(contractId);
  const [signerName, setSignerName] = useState('');
  const [signedPlace, setSignedPlace] = useState<string | null>(null);
  const [consent, setConsent] = useState(false);
  const sign = useMutation(trpc.contracts.sign.mutationOptions({
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: trpc.contracts.pathKey() });
      void navigate(`/contrats/${contractId}`);
    },
  }));
  if (!contract.data) return <p>{contract.isError ? messageOf(contract.error) : t.app.loading}</p>;
  const c = contract.data;
  const errors = fieldErrorsOf(sign.error);
  // The client's city until something else is typed.
  const place = signedPlace ?? c.client.city ?? '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (consent) sign.mutate({ contractId: c.id, signerName, consent: true, ...(place.trim() ? { signedPlace: place } : {}) });
  };
  return (
    <section className="stack">
      <Link to={`/contrats/${c.id}`}>← {c.number}</Link>
      <h1>{t.contracts.signTitle(c.number)}</h1>
      {c.status !== 'sent' ? (
        <p>{t.contracts.notSignable(t.contracts.statuses[c.status])}</p>
      ) : (
        <>
          <p>{t.contracts.signIntro}</p>
          <div className="card">
            <dl className="facts">
              <dt>{t.contracts.client}</dt><dd>{c.client.displayName}</dd>
              <dt>{t.contracts.startDate}</dt><dd>{formatDate(c.startDate)}</dd>
              <dt>{t.contracts.duration}</dt><dd>{t.contracts.durationValue(c.durationMonths)}{c.tacitRenewal ? ` · ${t.contracts.tacitRenewal}` : ''}</dd>
              <dt>{t.contracts.paymentMethod}</dt><dd>{t.contracts.paymentMethods[c.paymentMethod]}</dd>
              {c.paymentMethod === 'sepa_debit' && c.debtorIban && (
                <><dt>{t.contracts.debitedAccount}</dt><dd>{c.debtorName ?? c.client.displayName} · <MaskedIban iban={c.debtorIban} canReveal /></dd></>
              )}
            </dl>
          </div>
          <ContractLines contract={c} />
          <ContractSchedulePreview contract={c} />
          <button type="button" className="button button--ghost" onClick={() => void downloadContractFile(c.id, 'pdf')}>{t.contracts.contractPdf}</button>
          <form className="card" onSubmit={submit} noValidate>
            <FormMessage error={Object.keys(errors).length ? null : messageOf(sign.error)} />
            <TextField label={t.contracts.signerName} name="signerName" errors={errors} value={signerName} onChange={(e) => setSignerName(e.target.value)} />
            <TextField label={t.contracts.signedPlace} name="signedPlace" errors={errors} value={place} hint={t.contracts.signedPlaceHint} onChange={(e) => setSignedPlace(e.target.value)} />
            <label className="checkbox">
              <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} /> <span data-testid="signature-consent">{c.legal.signatureConsent}</span>
            </label>
            <div className="actions">
              <button className="button button--primary" type="submit" disabled={!consent || signerName.trim().length < 2 || sign.isPending}>{t.contracts.signSubmit}</button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
