import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ClientContracts } from '../contracts/contracts-page.tsx';
import { ClientInvoices } from '../invoices/invoices-page.tsx';
import { Link, useParams } from 'react-router';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate, formatPhone } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { ClientTimeline } from '../activities/client-timeline.tsx';
import { DocumentsPanel } from '../documents/documents-panel.tsx';
import { ClientPayments } from '../payments/client-payments.tsx';
import { ClientContactsPanel } from './client-contacts-panel.tsx';
import { ClientForm } from './client-form.tsx';
import { ClientRecordActions } from './client-record-actions.tsx';

export function NewClientPage() {
  return (
    <section>
      <Link to="/clients">{t.clients.back}</Link>
      <h1>{t.clients.new}</h1>
      <ClientForm />
    </section>
  );
}

export function EditClientPage() {
  const { clientId = '' } = useParams();
  const trpc = useTRPC();
  const client = useQuery(trpc.clients.get.queryOptions({ clientId }));
  if (!client.data) return <p>{client.isError ? messageOf(client.error) : t.app.loading}</p>;
  return (
    <section>
      <Link to={`/clients/${clientId}`}>← {client.data.displayName}</Link>
      <h1>{t.clients.edit}</h1>
      <ClientForm client={client.data} />
    </section>
  );
}

export function ClientPage() {
  const { clientId = '' } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('clients.write');
  const canReadInvoices = useCan('invoices.read');
  const client = useQuery(trpc.clients.get.queryOptions({ clientId }));
  const reps = useQuery(trpc.salesReps.list.queryOptions({ includeInactive: true }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.clients.pathKey() });
  const archive = useMutation(trpc.clients.archive.mutationOptions({ onSuccess: refresh }));
  const restore = useMutation(trpc.clients.restore.mutationOptions({ onSuccess: refresh }));
  if (!client.data) return <p>{client.isError ? messageOf(client.error) : t.app.loading}</p>;
  const c = client.data;
  const archived = c.status === 'archived';
  return (
    <section className="stack">
      <Link to="/clients">{t.clients.back}</Link>
      <div className="page-header">
        <h1>{c.displayName} <span className={`badge badge--${c.status}`}>{t.clients.statuses[c.status]}</span></h1>
        {canWrite && (
          <div className="actions">
            {!archived && <Link className="button button--ghost" to={`/clients/${c.id}/modifier`}>{t.clients.edit}</Link>}
            {archived ? (
              <button type="button" className="button button--ghost" onClick={() => restore.mutate({ clientId: c.id })}>{t.clients.restore}</button>
            ) : (
              <button type="button" className="button button--danger" onClick={() => archive.mutate({ clientId: c.id })}>{t.clients.archive}</button>
            )}
          </div>
        )}
      </div>
      <FormMessage error={messageOf(archive.error ?? restore.error)} />
      <div className="card">
        <dl className="facts">
          <dt>{t.clients.kind}</dt><dd>{c.kind === 'person' ? t.clients.person : t.clients.company}</dd>
          {c.siret && (<><dt>{t.clients.siret}</dt><dd>{c.siret}</dd></>)}
          {c.birthDate && (<><dt>{t.clients.birthDate}</dt><dd>{formatDate(c.birthDate)}</dd></>)}
          <dt>{t.clients.email}</dt><dd>{c.email ?? '—'}</dd>
          <dt>{t.clients.phone}</dt><dd>{[c.phone, c.mobile].filter((p): p is string => Boolean(p)).map(formatPhone).join(' · ') || '—'}</dd>
          <dt>{c.kind === 'company' ? t.clients.headOffice : t.clients.address}</dt><dd>{c.address ? `${c.address.line1}, ${c.address.postalCode} ${c.address.city}` : '—'}</dd>
          <dt>{t.clients.tagList}</dt><dd>{c.tags.length ? c.tags.map((tag) => <span key={tag} className="badge">{tag}</span>) : '—'}</dd>
          <dt>{t.clients.consent}</dt><dd>{c.marketingConsent && c.marketingConsentAt ? `Oui, depuis le ${formatDate(c.marketingConsentAt)}` : 'Non'}</dd>
          <dt>{t.clients.salesRep}</dt><dd>{reps.data?.find((r) => r.id === c.salesRepId)?.displayName ?? '—'}</dd>
          <dt>{t.clients.createdAt}</dt><dd>{formatDate(c.createdAt)}</dd>
          {c.mergedIntoId && (<><dt>{t.clients.mergedInto}</dt><dd><Link to={`/clients/${c.mergedIntoId}`}>{t.clients.mergedInto} →</Link></dd></>)}
          {c.anonymisedAt && (<><dt>{t.clients.anonymised}</dt><dd>{formatDate(c.anonymisedAt)}</dd></>)}
        </dl>
      </div>
      {c.kind === 'company' && <ClientContactsPanel clientId={c.id} canWrite={canWrite && !archived} />}
      <ClientRecordActions client={c} />
      <ClientContracts clientId={c.id} />
      {canReadInvoices && <ClientInvoices clientId={c.id} />}
      <ClientPayments clientId={c.id} />
      <DocumentsPanel clientId={c.id} />
      <ClientTimeline clientId={c.id} />
    </section>
  );
}
