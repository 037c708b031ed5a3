import type { Letter } from '@crm/db';
import type { LetterHistoryEntry } from './refresh-letter.ts';
import type { TLetterService, TLetterStatus } from './letters.schema.ts';

export interface LetterView {
  id: string;
  clientId: string;
  clientName: string;
  documentId: string;
  documentName: string | null;
  service: TLetterService;
  purpose: string;
  dunningCaseId: string | null;
  status: TLetterStatus;
  /** Maileva's sending status (ACCEPTED, PROCESSED...) and the last delivery code (A01, D01, N01...). */
  providerStatus: string | null;
  deliveryStatus: string | null;
  registeredNumber: string | null;
  postageCents: number | null;
  addressLines: (string | null)[];
  countryCode: string;
  colorPrinting: boolean;
  duplexPrinting: boolean;
  attempts: number;
  lastError: string | null;
  environment: string | null;
  history: LetterHistoryEntry[];
  proofs: { depositProofDocumentId: string | null; acknowledgementDocumentId: string | null; archiveDocumentId: string | null };
  createdBy: string | null;
  createdAt: string;
  submittedAt: string | null;
  statusCheckedAt: string | null;
}

export function toLetterView(row: Letter & { client: { displayName: string } | null; document: { fileName: string } | null }): LetterView {
  return {
    id: row.id,
    clientId: row.clientId,
    clientName: row.client?.displayName ?? '',
    documentId: row.documentId,
    documentName: row.document?.fileName ?? null,
    service: row.service as TLetterService,
    purpose: row.purpose,
    dunningCaseId: row.dunningCaseId,
    status: row.status as TLetterStatus,
    providerStatus: row.providerStatus,
    deliveryStatus: row.deliveryStatus,
    registeredNumber: row.registeredNumber,
    postageCents: row.postageCents,
    addressLines: row.addressLines as (string | null)[],
    countryCode: row.countryCode,
    colorPrinting: row.colorPrinting,
    duplexPrinting: row.duplexPrinting,
    attempts: row.attempts,
    lastError: row.lastError,
    environment: row.environment,
    history: (row.history as unknown as LetterHistoryEntry[] | null) ?? [],
    proofs: { depositProofDocumentId: row.depositProofDocumentId, acknowledgementDocumentId: row.acknowledgementDocumentId, archiveDocumentId: row.archiveDocumentId },
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    submittedAt: row.submittedAt?.toISOString() ?? null,
    statusCheckedAt: row.statusCheckedAt?.toISOString() ?? null,
  };
}
