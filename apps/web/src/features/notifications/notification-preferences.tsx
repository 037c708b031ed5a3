import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { t } from '../../i18n/fr.ts';
import { useTRPC } from '../../trpc.ts';

export function NotificationPreferences() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const preferences = useQuery(trpc.notifications.preferences.queryOptions());
  const set = useMutation(
    trpc.notifications.setPreference.mutationOptions({
      onSuccess: (data) => queryClient.setQueryData(trpc.notifications.preferences.queryKey(), data),
    }),
  );
  return (
    <div className="table-wrap"><table className="table">
      <thead><tr><th>{t.notifications.title}</th><th>{t.notifications.preferences}</th></tr></thead>
      <tbody>
        {preferences.data?.map((p) => (
          <tr key={p.type}>
            <td>{p.label}</td>
            <td>
              <input type="checkbox" aria-label={`${t.notifications.preferences} — ${p.label}`} checked={p.inApp} disabled={set.isPending}
                onChange={(e) => set.mutate({ type: p.type, inApp: e.target.checked })} />
            </td>
          </tr>
        ))}
      </tbody>
    </table></div>
  );
}
