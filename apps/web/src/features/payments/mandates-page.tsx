import type { RouterOutputs } from '@crm/trpc';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatDate, friendlyIban } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { LoadMore } from './load-more.tsx';
import { MandateStatusBadge } from './payment-badges.tsx';
import { useDialogs } from '../../components/confirm-dialog.tsx';
import { MaskedIban } from '../../components/masked-iban.tsx';

type Mandate = RouterOutputs['mandates']['list']['items'][number];
type Status = Mandate['status'];

/** Mandats: every SEPA mandate with its status; amend (bank account, debtor, RUM, scheme) or revoke. */
export function MandatesPage() {
  const { confirm } = useDialogs();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('payments.write');
  const [status, setStatus] = useState<Status | ''>('');
  const [editing, setEditing] = useState<string | null>(null);
  const mandates = useInfiniteQuery(
    trpc.mandates.list.infiniteQueryOptions({ ...(status ? { status } : {}), limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const rows = mandates.data?.pages.flatMap((page) => page.items);
  const revoke = useMutation(trpc.mandates.revoke.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.mandates.pathKey() }) }));
  const statuses = [{ value: '', label: t.payments.all }, ...Object.entries(t.payments.mandateStatuses).map(([value, label]) => ({ value, label }))];
  return (
    <section className="stack">
      <h1>{t.payments.mandates.title}</h1>
      <div className="filters">
        <SelectField label={t.payments.status} name="status" value={status} onChange={(e) => setStatus(e.target.value as Status | '')} options={statuses} />
      </div>
      <FormMessage error={messageOf(revoke.error)} />
      <div className="table-wrap"><table className="table">
        <thead>
          <tr><th>{t.payments.mandates.rum}</th><th>{t.payments.client}</th><th>{t.payments.contract}</th><th>{t.payments.mandates.debtor}</th><th>{t.payments.mandates.iban}</th><th>{t.payments.mandates.scheme}</th><th>{t.payments.mandates.signedOn}</th><th>{t.payments.mandates.lastCollection}</th><th>{t.payments.status}</th><th /></tr>
        </thead>
        <tbody>
          {rows?.length === 0 && <tr><td colSpan={10} className="muted">{t.payments.mandates.empty}</td></tr>}
          {rows?.map((m) => (
            <MandateRow key={m.id} mandate={m} canWrite={canWrite} editing={editing === m.id} onEdit={(on) => setEditing(on ? m.id : null)}
              onRevoke={() => void confirm({ title: t.payments.mandates.confirmRevoke, confirmLabel: t.payments.mandates.revoke, danger: true }).then((ok) => ok && revoke.mutate({ mandateId: m.id }))} />
          ))}
        </tbody>
      </table></div>
      <LoadMore pages={mandates} />
    </section>
  );
}

function MandateRow({ mandate: m, canWrite, editing, onEdit, onRevoke }: { mandate: Mandate; canWrite: boolean; editing: boolean; onEdit: (on: boolean) => void; onRevoke: () => void }) {
  return (
    <>
      <tr>
        <td><code>{m.rum}</code>{m.pendingAmendment && <><br /><span className="badge badge--pending">{t.payments.mandates.pendingAmendment}</span></>}</td>
        <td><Link to={`/clients/${m.clientId}`}>{m.clientName}</Link></td>
        <td>{m.contractId ? <Link to={`/contrats/${m.contractId}`}>{m.contractNumber}</Link> : ''}</td>
        <td>{m.debtorName}</td>
        <td><MaskedIban iban={m.iban} canReveal={canWrite} />{m.bic ? <><br /><span className="muted">{m.bic}</span></> : null}</td>
        <td>{m.scheme}</td>
        <td>{formatDate(m.signedOn)}</td>
        <td>{m.lastCollectionOn ? formatDate(m.lastCollectionOn) : '—'}</td>
        <td><MandateStatusBadge status={m.status} /></td>
        <td className="table__actions">
          {canWrite && m.status === 'active' && !editing && (
            <>
              <button type="button" className="button button--ghost" onClick={() => onEdit(true)}>{t.payments.mandates.amend}</button>
              <button type="button" className="button button--danger" onClick={onRevoke}>{t.payments.mandates.revoke}</button>
            </>
          )}
        </td>
      </tr>
      {editing && <tr><td colSpan={10}><AmendForm mandate={m} onDone={() => onEdit(false)} /></td></tr>}
    </>
  );
}

function AmendForm({ mandate, onDone }: { mandate: Mandate; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ iban: friendlyIban(mandate.iban), bic: mandate.bic ?? '', debtorName: mandate.debtorName, rum: mandate.rum });
  const amend = useMutation(trpc.mandates.amend.mutationOptions({
    onSuccess: () => { void queryClient.invalidateQueries({ queryKey: trpc.mandates.pathKey() }); onDone(); },
  }));
  const errors = fieldErrorsOf(amend.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    amend.mutate({
      mandateId: mandate.id,
      ...(form.iban.replace(/\s+/g, '').toUpperCase() !== mandate.iban ? { iban: form.iban } : {}),
      ...(form.bic.trim() !== (mandate.bic ?? '') ? { bic: form.bic.trim() || null } : {}),
      ...(form.debtorName.trim() !== mandate.debtorName ? { debtorName: form.debtorName } : {}),
      ...(form.rum.trim() !== mandate.rum ? { rum: form.rum } : {}),
    });
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={t.payments.mandates.amend}>
      <FormMessage error={Object.keys(errors).length ? null : messageOf(amend.error)} />
      <div className="grid">
        <TextField label={t.payments.mandates.iban} name="iban" errors={errors} value={form.iban} onChange={(e) => setForm({ ...form, iban: e.target.value })} />
        <TextField label={t.payments.mandates.bic} name="bic" errors={errors} value={form.bic} onChange={(e) => setForm({ ...form, bic: e.target.value })} />
        <TextField label={t.payments.mandates.debtor} name="debtorName" errors={errors} value={form.debtorName} onChange={(e) => setForm({ ...form, debtorName: e.target.value })} />
        <TextField label={t.payments.mandates.rum} name="rum" errors={errors} value={form.rum} onChange={(e) => setForm({ ...form, rum: e.target.value })} />
      </div>
      <p className="muted">{t.payments.mandates.schemeIsFixed(mandate.scheme)}</p>
      <div className="actions">
        <button className="button button--primary" type="submit" disabled={amend.isPending}>{t.payments.mandates.save}</button>
        <button className="button button--ghost" type="button" onClick={onDone}>{t.payments.batches.cancel}</button>
      </div>
    </form>
  );
}
