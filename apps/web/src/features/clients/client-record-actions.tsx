import type { RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { useDialogs } from '../../components/confirm-dialog.tsx';

type Client = RouterOutputs['clients']['get'];

function download(name: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  Object.assign(document.createElement('a'), { href: url, download: name }).click();
  URL.revokeObjectURL(url);
}

/** What happens to a client record as a whole: merging a duplicate away, GDPR export and erasure. */
export function ClientRecordActions({ client }: { client: Client }) {
  const canMerge = useCan('clients.merge');
  const canGdpr = useCan('clients.gdpr');
  const { prompt } = useDialogs();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.clients.pathKey() });
  const exportData = useMutation(trpc.clients.exportData.mutationOptions({ onSuccess: (data) => download(`client-${client.id}.json`, data) }));
  const anonymise = useMutation(trpc.clients.anonymise.mutationOptions({ onSuccess: refresh }));
  const [merging, setMerging] = useState(false);
  if (client.mergedIntoId || (!canMerge && !canGdpr)) return null;
  const erase = async () => {
    const reason = await prompt({ title: t.clients.anonymiseConfirm, confirmLabel: t.clients.anonymise, danger: true, field: { label: t.clients.anonymiseReason } });
    if (reason === null) return;
    anonymise.mutate({ clientId: client.id, confirm: true, reason });
  };
  return (
    <div className="card stack">
      <div className="actions">
        {canMerge && !client.anonymisedAt && (
          <button type="button" className="button button--ghost" onClick={() => setMerging(!merging)}>{t.clients.merge}</button>
        )}
        {canGdpr && (
          <button type="button" className="button button--ghost" disabled={exportData.isPending} onClick={() => exportData.mutate({ clientId: client.id })}>
            {t.clients.gdprExport}
          </button>
        )}
        {canGdpr && !client.anonymisedAt && (
          <button type="button" className="button button--danger" disabled={anonymise.isPending} onClick={() => void erase()}>{t.clients.anonymise}</button>
        )}
      </div>
      <FormMessage error={messageOf(exportData.error ?? anonymise.error)} />
      {merging && <MergeInto client={client} />}
    </div>
  );
}

function MergeInto({ client }: { client: Client }) {
  const { confirm } = useDialogs();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState(client.displayName);
  const candidates = useQuery(trpc.clients.list.queryOptions({ search: search.trim() || undefined, limit: 8 }, { enabled: search.trim().length >= 2 }));
  const merge = useMutation(trpc.clients.merge.mutationOptions({
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: trpc.clients.pathKey() });
      void navigate(`/clients/${result.client.id}`);
    },
  }));
  const others = (candidates.data?.items ?? []).filter((c) => c.id !== client.id && c.kind === client.kind);
  return (
    <div className="stack" aria-label={t.clients.mergeTitle}>
      <h3>{t.clients.mergeTitle}</h3>
      <p className="muted">{t.clients.mergeHint}</p>
      <input type="search" aria-label={t.clients.mergeSearch} placeholder={t.clients.mergeSearch} value={search} onChange={(e) => setSearch(e.target.value)} />
      <ul className="plain-list">
        {others.map((c) => (
          <li key={c.id}>
            <button type="button" className="button button--ghost" disabled={merge.isPending}
              onClick={() => void confirm({ title: t.clients.mergeConfirm(client.displayName, c.displayName), confirmLabel: t.clients.mergeConfirmButton, danger: true }).then((ok) => ok && merge.mutate({ sourceClientId: client.id, targetClientId: c.id }))}>
              {c.displayName}{c.email ? ` — ${c.email}` : ''}{c.city ? ` — ${c.city}` : ''}
            </button>
          </li>
        ))}
      </ul>
      <FormMessage error={messageOf(merge.error)} />
    </div>
  );
}
