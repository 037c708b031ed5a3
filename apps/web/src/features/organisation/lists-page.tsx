import type { RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { FormMessage, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';

type Kind = RouterOutputs['lists']['items'][number]['kind'];
const KINDS: Kind[] = ['client_source', 'client_tag', 'product_category', 'activity_type'];

/** The organisation's own lists: add, rename, hide. */
export function ListsPage() {
  return (
    <div className="stack">
      {KINDS.map((kind) => <ListEditor key={kind} kind={kind} />)}
    </div>
  );
}

function ListEditor({ kind }: { kind: Kind }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('lists.write');
  const items = useQuery(trpc.lists.items.queryOptions({ kind, includeInactive: true }));
  const [label, setLabel] = useState('');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.lists.pathKey() });
  const add = useMutation(trpc.lists.add.mutationOptions({ onSuccess: () => { setLabel(''); refresh(); } }));
  const update = useMutation(trpc.lists.update.mutationOptions({ onSuccess: refresh }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ kind, label });
  };
  return (
    <section className="card">
      <h2>{t.lists.kinds[kind]}</h2>
      <ul className="chips">
        {items.data?.map((item) => (
          <li key={item.id} className={item.active ? 'chip' : 'chip chip--inactive'}>
            {item.label}
            {canWrite && (
              <button type="button" className="chip__action" aria-label={`${item.active ? t.lists.hide : t.lists.show} ${item.label}`}
                onClick={() => update.mutate({ itemId: item.id, active: !item.active })}>
                {item.active ? '×' : '↺'}
              </button>
            )}
          </li>
        ))}
      </ul>
      {canWrite && (
        <form className="inline-add" onSubmit={submit} noValidate>
          <TextField label={`${t.lists.add} — ${t.lists.kinds[kind]}`} name="label" errors={fieldErrorsOf(add.error)} value={label} onChange={(e) => setLabel(e.target.value)} />
          <button className="button button--ghost" type="submit" disabled={add.isPending}>{t.lists.add}</button>
        </form>
      )}
      <FormMessage error={Object.keys(fieldErrorsOf(add.error)).length ? null : messageOf(add.error ?? update.error)} />
    </section>
  );
}
