import { t } from '../../i18n/fr.ts';
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

/** Instant feedback only (length and mod 97); the server's check is the one that counts. */
export function ibanLooksValid(value: string): boolean {
  const iban = value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  let remainder = 0;
  for (const char of iban.slice(4) + iban.slice(0, 4)) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** VAT of a line rounded half-up, as the server computes it (preview only). */
export const vatOf = (htCents: number, basisPoints: number) => Math.floor((htCents * basisPoints + 5_000) / 10_000);
