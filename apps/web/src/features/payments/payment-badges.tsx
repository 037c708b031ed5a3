import { t } from '../../i18n/fr.ts';

const ITEM: Record<string, string> = {
  planned: 'badge badge--pending',
  batched: 'badge badge--today',
  submitted: 'badge badge--accepted',
  paid: 'badge badge--active',
  rejected: 'badge badge--overdue',
  cancelled: 'badge badge--archived',
};

export function ItemStatusBadge({ status }: { status: keyof typeof t.payments.itemStatuses }) {
  return <span className={ITEM[status]}>{t.payments.itemStatuses[status]}</span>;
}

const BATCH: Record<string, string> = { generated: 'badge badge--pending', sent: 'badge badge--active', cancelled: 'badge badge--archived' };

export function BatchStatusBadge({ status }: { status: keyof typeof t.payments.batchStatuses }) {
  return <span className={BATCH[status]}>{t.payments.batchStatuses[status]}</span>;
}

const MANDATE: Record<string, string> = { active: 'badge badge--active', revoked: 'badge badge--revoked', expired: 'badge badge--expired' };

export function MandateStatusBadge({ status }: { status: keyof typeof t.payments.mandateStatuses }) {
  return <span className={MANDATE[status]}>{t.payments.mandateStatuses[status]}</span>;
}
