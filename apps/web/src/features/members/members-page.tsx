import type { RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan, useMe } from '../auth/session.tsx';
import { ROLE_OPTIONS, type Role } from './roles.ts';
import { useDialogs } from '../../components/confirm-dialog.tsx';

type Member = RouterOutputs['members']['list'][number];

export function MembersPage() {
  const { confirm } = useDialogs();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('members.write');
  const myRole = useMe().data?.role;
  const members = useQuery(trpc.members.list.queryOptions());
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onSuccess: () => { setNotice(t.members.roleChanged); void refresh(); } }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSuccess: () => { setNotice(t.members.removed); void refresh(); } }));
  const error = messageOf(changeRole.error ?? remove.error);
  // Only an owner hands out or touches the owner role.
  const editable = (m: Member) => canWrite && (myRole === 'owner' || m.role !== 'owner');
  const roleOptions = ROLE_OPTIONS.filter((o) => myRole === 'owner' || o.value !== 'owner');
  return (
    <section>
      <FormMessage error={error} success={error ? null : notice} />
      <div className="table-wrap"><table className="table">
        <thead>
          <tr><th>{t.members.name}</th><th>{t.members.email}</th><th>{t.members.role}</th><th>{t.members.joinedAt}</th><th /></tr>
        </thead>
        <tbody>
          {members.data?.map((m) => (
            <tr key={m.id}>
              <td>{m.name} {m.isMe && <span className="muted">{t.members.you}</span>}</td>
              <td>{m.email}</td>
              <td>
                {editable(m) ? (
                  <select aria-label={`${t.members.role} — ${m.name}`} value={m.role} disabled={changeRole.isPending}
                    onChange={(e) => changeRole.mutate({ memberId: m.id, role: e.target.value as Role })}>
                    {(m.role === 'owner' ? ROLE_OPTIONS : roleOptions).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                  </select>
                ) : (
                  <span className="badge">{t.roles[m.role]}</span>
                )}
              </td>
              <td>{formatDate(m.joinedAt)}</td>
              <td className="table__actions">
                {editable(m) && !m.isMe && (
                  <button type="button" className="button button--danger" disabled={remove.isPending}
                    onClick={() => void confirm({ title: t.members.confirmRemove(m.name), confirmLabel: t.members.remove, danger: true }).then((ok) => ok && remove.mutate({ memberId: m.id }))}>
                    {t.members.remove}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table></div>
    </section>
  );
}
