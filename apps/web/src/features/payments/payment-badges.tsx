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

// By what comes next: only insufficient funds may be presented again; the others need a person.
const REASON: Record<string, string> = {
  insufficient_funds: 'badge badge--pending',
  account_closed_or_blocked: 'badge badge--revoked',
  mandate_problem: 'badge badge--overdue',
  debtor_refund_or_dispute: 'badge badge--overdue',
  technical: 'badge badge--archived',
  unknown: 'badge badge--archived',
};

/** A rejection's reason as the server words it ("Provision insuffisante (AM04)"), its category as the colour and the tooltip. */
export function ReasonBadge({ label, category }: { label: string | null; category: keyof typeof t.payments.reasonCategories | null }) {
  if (!label || !category) return null;
  return <span className={REASON[category]} title={t.payments.reasonCategories[category]}>{label}</span>;
}

const MANDATE: Record<string, string> = { active: 'badge badge--active', revoked: 'badge badge--revoked', expired: 'badge badge--expired' };

export function MandateStatusBadge({ status }: { status: keyof typeof t.payments.mandateStatuses }) {
  return <span className={MANDATE[status]}>{t.payments.mandateStatuses[status]}</span>;
}
