import type { Prisma } from '@crm/db';
import { TRANSMISSION_STATUS_LABELS, type PlatformStatusEntry, type TransmissionStatus } from '../platform/platform-port.ts';

export interface HistoryEntry extends PlatformStatusEntry {
  label: string;
}

type TransmissionRow = Prisma.InvoiceTransmissionGetPayload<object>;

/** What the invoice page shows: the status, its history with dates, the receipt, the last error. */
export function toTransmissionView(row: TransmissionRow | null, configured: boolean) {
  const status = (row?.status ?? null) as TransmissionStatus | null;
  return {
    /** False when this installation has no approved platform (no PA_URL). */
    platformConfigured: configured,
    transmitted: row !== null && row.status !== 'pending',
    status,
    statusLabel: status ? TRANSMISSION_STATUS_LABELS[status] : 'Non transmise',
    statusAt: row?.statusAt?.toISOString() ?? null,
    platformId: row?.platformId ?? null,
    receipt: (row?.receipt ?? null) as { receiptId: string; receivedAt: string; sha256: string } | null,
    history: ((row?.history ?? []) as unknown as HistoryEntry[]).map((h) => ({ code: h.code, label: h.label, at: h.at, reason: h.reason })),
    attempts: row?.attempts ?? 0,
    lastError: row?.lastError ?? null,
    submittedAt: row?.submittedAt?.toISOString() ?? null,
    checkedAt: row?.checkedAt?.toISOString() ?? null,
  };
}
export type TransmissionView = ReturnType<typeof toTransmissionView>;
