import { t } from '../../i18n/fr.ts';
import { formatPrice, perMonthHint, type BillingFrequency } from '../../lib/format.ts';
import { sessionToken } from '../../lib/session-token.ts';

export type ContractStatus = keyof typeof t.contracts.statuses;

// Reuses the badge colours the rest of the back office already has.
const BADGE: Record<ContractStatus, string> = {
  draft: 'badge',
  sent: 'badge badge--pending',
  signed: 'badge badge--accepted',
  active: 'badge badge--active',
  suspended: 'badge badge--overdue',
  terminated: 'badge badge--archived',
  cancelled: 'badge badge--revoked',
};

export function StatusBadge({ status }: { status: ContractStatus }) {
  return <span className={BADGE[status]}>{t.contracts.statuses[status]}</span>;
}

/** A contract PDF from the API (the token goes in the header), saved under the server's file name. */
export async function downloadContractFile(contractId: string, file: 'pdf' | 'mandate.pdf') {
  const response = await fetch(`/contracts/${contractId}/${file}`, { headers: { authorization: `Bearer ${sessionToken.get() ?? ''}` } });
  if (!response.ok) return;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), {
    href: url,
    download: /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'contrat.pdf',
  });
  link.click();
  URL.revokeObjectURL(url);
}


/** VAT of a line rounded half-up, as the server computes it (preview only). */
export const vatOf = (htCents: number, basisPoints: number) => Math.floor((htCents * basisPoints + 5_000) / 10_000);

/**
 * A contract's amount in a list: what one period costs, and what that is per month when it is
 * billed otherwise, so that a quarterly and a monthly contract compare at a glance.
 */
export function ContractAmount({ ttcCents, frequency }: { ttcCents: number; frequency: BillingFrequency }) {
  const perMonth = perMonthHint(ttcCents, frequency, 'TTC');
  return (
    <span className="amount">
      {formatPrice(ttcCents, frequency, 'TTC')}
      {perMonth && <small className="muted">{perMonth}</small>}
    </span>
  );
}
