import type { RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';

type Connection = RouterOutputs['mailAccounts']['list']['connections'][number];

/** Paramètres > Messagerie: the member's own accounts (connect, state, disconnect) and the organisation's sender. */
export function MailAccountsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.mailAccounts.list.queryOptions());
  const invalidate = () => void queryClient.invalidateQueries({ queryKey: trpc.mailAccounts.pathKey() });
  const start = useMutation(trpc.mailAccounts.startConnection.mutationOptions({ onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl) }));
  const disconnect = useMutation(trpc.mailAccounts.disconnect.mutationOptions({ onSuccess: invalidate }));
  const setSender = useMutation(trpc.mailAccounts.setSender.mutationOptions({ onSuccess: invalidate }));
  const [params] = useSearchParams();
  const data = list.data;
  if (!data) return <FormMessage error={messageOf(list.error)} />;
  const { available } = data;
  return (
    <section className="stack">
      <p className="muted">{t.mailAccounts.intro}</p>
      {params.get('connecte') && <FormMessage success={t.mailAccounts.connected(params.get('connecte')!)} />}
      {!available.encryption && <p className="notice" role="status">{t.mailAccounts.notConfigured}</p>}

      <h2>{t.mailAccounts.mine}</h2>
      <div className="table-wrap"><table className="table">
        <thead><tr><th>{t.mailAccounts.account}</th><th>{t.mailAccounts.provider}</th><th>{t.mailAccounts.state}</th><th /></tr></thead>
        <tbody>
          {data.connections.length === 0 && <tr><td colSpan={4} className="muted">{t.mailAccounts.none}</td></tr>}
          {data.connections.map((c) => (
            <ConnectionRow key={c.id} connection={c} onDisconnect={() => disconnect.mutate({ connectionId: c.id })} onReconnect={c.provider === 'smtp' ? null : () => start.mutate({ provider: c.provider as 'google' | 'microsoft' })} />
          ))}
        </tbody>
      </table></div>
      <FormMessage error={messageOf(disconnect.error) ?? messageOf(start.error)} />

      {available.encryption && (
        <div className="stack">
          <h2>{t.mailAccounts.connectTitle}</h2>
          <div className="actions">
            <button type="button" className="button" disabled={!available.google || start.isPending} onClick={() => start.mutate({ provider: 'google' })}>{t.mailAccounts.connectGoogle}</button>
            <button type="button" className="button" disabled={!available.microsoft || start.isPending} onClick={() => start.mutate({ provider: 'microsoft' })}>{t.mailAccounts.connectMicrosoft}</button>
          </div>
          {!available.google && <p className="muted">{t.mailAccounts.providerNotConfigured('Google')}</p>}
          {!available.microsoft && <p className="muted">{t.mailAccounts.providerNotConfigured('Microsoft')}</p>}
          <p className="muted">{t.mailAccounts.scopes}</p>
          <SmtpAccountForm onDone={invalidate} />
        </div>
      )}

      <h2>{t.mailAccounts.senderTitle}</h2>
      <p className="muted">{t.mailAccounts.senderIntro}</p>
      {data.sender.canSet ? (
        <SelectField
          label={t.mailAccounts.sender}
          name="sender"
          value={data.sender.connectionId ?? ''}
          disabled={setSender.isPending}
          onChange={(e) => setSender.mutate({ connectionId: e.target.value || null })}
          options={[{ value: '', label: t.mailAccounts.systemSender }, ...data.senderChoices.map((c) => ({ value: c.id, label: `${c.email} (${t.mailAccounts.providers[c.provider]}${c.ownerName ? `, ${c.ownerName}` : ''})` }))]}
        />
      ) : (
        <p>{t.mailAccounts.currentSender(data.connections.find((c) => c.isSender)?.email ?? null)}</p>
      )}
      <FormMessage error={messageOf(setSender.error)} success={setSender.isSuccess ? t.settings.saved : null} />
    </section>
  );
}

function ConnectionRow({ connection: c, onDisconnect, onReconnect }: { connection: Connection; onDisconnect: () => void; onReconnect: (() => void) | null }) {
  return (
    <tr>
      <td>{c.email}{c.isSender && <span className="muted"> · {t.mailAccounts.isSender}</span>}</td>
      <td>{t.mailAccounts.providers[c.provider]}{c.smtpHost ? ` (${c.smtpHost}:${c.smtpPort})` : ''}</td>
      <td>
        <span className={`badge badge--${c.status === 'active' ? 'sent' : 'failed'}`}>{t.mailAccounts.states[c.status]}</span>
        {c.lastUsedAt && <span className="muted"> · {t.mailAccounts.lastUsed(formatDateTime(c.lastUsedAt))}</span>}
      </td>
      <td className="table__actions">
        {c.status === 'reauth_required' && onReconnect && <button type="button" className="button" onClick={onReconnect}>{t.mailAccounts.reconnect}</button>}
        <button type="button" className="button button--ghost" onClick={onDisconnect}>{t.mailAccounts.disconnect}</button>
      </td>
    </tr>
  );
}

function SmtpAccountForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const connect = useMutation(trpc.mailAccounts.connectSmtp.mutationOptions({ onSuccess: onDone }));
  const errors = fieldErrorsOf(connect.error);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => { const v = form.get(name); return typeof v === 'string' ? v : ''; };
    connect.mutate({ email: value('email'), host: value('host'), port: Number(value('port')), secure: value('security') === 'tls', username: value('username'), password: value('password') });
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={t.mailAccounts.smtpTitle}>
      <h3>{t.mailAccounts.smtpTitle}</h3>
      <TextField label={t.mailAccounts.smtpEmail} name="email" type="email" required errors={errors} />
      <TextField label={t.mailAccounts.smtpHost} name="host" required errors={errors} />
      <TextField label={t.mailAccounts.smtpPort} name="port" type="number" defaultValue="587" required errors={errors} />
      <SelectField label={t.mailAccounts.smtpSecurity} name="security" defaultValue="starttls" options={[{ value: 'starttls', label: 'STARTTLS (587)' }, { value: 'tls', label: 'TLS (465)' }]} />
      <TextField label={t.mailAccounts.smtpUsername} name="username" required autoComplete="off" errors={errors} />
      <TextField label={t.mailAccounts.smtpPassword} name="password" type="password" required autoComplete="new-password" errors={errors} />
      <FormMessage error={Object.keys(errors).length ? null : messageOf(connect.error)} success={connect.isSuccess ? t.mailAccounts.connected(connect.data.email) : null} />
      <button type="submit" className="button" disabled={connect.isPending}>{t.mailAccounts.smtpConnect}</button>
    </form>
  );
}

/** The provider's return (/parametres/messagerie/retour?code=…&state=…): completes the connection once, then back to settings. */
export function MailConnectReturn() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const complete = useMutation(trpc.mailAccounts.completeConnection.mutationOptions({
    onSuccess: (connection) => void navigate(`/parametres/messagerie?connecte=${encodeURIComponent(connection.email)}`, { replace: true }),
  }));
  const sent = useRef(false);
  const [refused] = useState(params.get('error'));
  useEffect(() => {
    const code = params.get('code');
    const state = params.get('state');
    if (sent.current || refused || !code || !state) return;
    sent.current = true;
    complete.mutate({ code, state });
  }, [params, refused, complete]);
  return (
    <section className="stack">
      <h2>{t.mailAccounts.returnTitle}</h2>
      {refused ? <FormMessage error={t.mailAccounts.refused} /> : <FormMessage error={messageOf(complete.error)} />}
      {!refused && !complete.error && <p className="muted">{t.mailAccounts.completing}</p>}
      <Link to="/parametres/messagerie">{t.mailAccounts.back}</Link>
    </section>
  );
}
