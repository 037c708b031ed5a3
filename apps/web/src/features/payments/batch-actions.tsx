import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useDialogs } from '../../components/confirm-dialog.tsx';
import { t } from '../../i18n/fr.ts';
import { formatDate, formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';

interface BatchSummary {
  id: string;
  itemCount: number;
  totalCents: number;
  collectionDate: string;
}

/**
 * The batch actions that move money, each behind a dialog that says what will happen, to how
 * many debits and how much: mark sent, cancel. Shared by the list of batches and a batch's page.
 */
export function useBatchActions() {
  const { confirm } = useDialogs();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.batches.pathKey() });
  const markSent = useMutation(trpc.batches.markSent.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.batches.cancel.mutationOptions({ onSuccess: refresh }));
  return {
    error: markSent.error ?? cancel.error,
    markSent: (b: BatchSummary) =>
      void confirm({
        title: t.payments.batches.confirmSent,
        message: t.payments.batches.confirmSentMessage(b.itemCount, formatEur(b.totalCents), formatDate(b.collectionDate)),
        confirmLabel: t.payments.batches.markSent,
      }).then((ok) => ok && markSent.mutate({ batchId: b.id })),
    cancel: (b: BatchSummary) =>
      void confirm({
        title: t.payments.batches.confirmCancel,
        message: t.payments.batches.confirmCancelMessage(b.itemCount, formatEur(b.totalCents)),
        confirmLabel: t.payments.batches.cancelBatch,
        danger: true,
      }).then((ok) => ok && cancel.mutate({ batchId: b.id })),
  };
}
