import type { RouterOutputs } from '@crm/trpc';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { LoadMore } from '../payments/load-more.tsx';

type Mail = RouterOutputs['mails']['list']['items'][number];
type Status = Mail['status'];

/** Courriels : the organisation's mail to its clients, with where each stands, and "Renvoyer" for those that failed. */
export function MailLogPage() {
  const trpc = useTRPC();
  const canResend = useCan('mails.write');
  const [status, setStatus] = useState<Status | ''>('');
  const [search, setSearch] = useState('');
  const query = search.trim();
  const mails = useInfiniteQuery(
    trpc.mails.list.infiniteQueryOptions(
      { ...(status ? { status } : {}), ...(query ? { search: query } : {}), limit: 30 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = mails.data?.pages.flatMap((page) => page.items);
  const statuses = [{ value: '', label: t.mails.all }, ...Object.entries(t.mails.statuses).map(([value, label]) => ({ value, label }))];
  return (
    <section className="stack">
      <div className="page-header"><h1>{t.mails.title}</h1></div>
      <p className="muted">{t.mails.intro}</p>
      <div className="filters">
        <TextField label={t.mails.search} name="search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <SelectField label={t.mails.status} name="status" value={status} onChange={(e) => setStatus(e.target.value as Status | '')} options={statuses} />
      </div>
      <FormMessage error={messageOf(mails.error)} />
      <div className="table-wrap"><table className="table">
        <thead><tr><th>{t.mails.date}</th><th>{t.mails.recipient}</th><th>{t.mails.subject}</th><th>{t.mails.status}</th><th /></tr></thead>
        <tbody>
          {rows?.length === 0 && <tr><td colSpan={5} className="muted">{t.mails.empty}</td></tr>}
          {rows?.map((mail) => <MailRow key={mail.id} mail={mail} canResend={canResend} />)}
        </tbody>
      </table></div>
      <LoadMore pages={mails} />
    </section>
  );
}

function MailRow({ mail, canResend }: { mail: Mail; canResend: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const resend = useMutation(trpc.mails.resend.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.mails.pathKey() }) }));
  return (
    <tr>
      <td>{formatDateTime(mail.sentAt ?? mail.createdAt)}</td>
      <td>{mail.clientId ? <Link to={`/clients/${mail.clientId}`}>{mail.recipient}</Link> : mail.recipient}</td>
      <td>
        {mail.subject}
        {mail.attachmentCount > 0 && <span className="muted"> · {t.mails.attachments(mail.attachmentCount)}</span>}
        {mail.resentFrom && <span className="muted"> · {t.mails.resent}</span>}
      </td>
      <td>
        <span className={`badge badge--${mail.status}`} title={mail.lastError ?? undefined}>{t.mails.statuses[mail.status]}</span>
      </td>
      <td className="table__actions">
        {canResend && mail.resendable && (
          <button type="button" className="button button--ghost" disabled={resend.isPending || resend.isSuccess} onClick={() => resend.mutate({ mailId: mail.id })}>
            {t.mails.resend}
          </button>
        )}
        {resend.error && <span className="field__error">{messageOf(resend.error)}</span>}
      </td>
    </tr>
  );
}
