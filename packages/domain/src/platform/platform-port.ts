/**
 * The port to the approved platform (Plateforme Agréée, PA) an organisation deposits its B2B
 * invoices with (French e-invoicing reform; AFNOR XP Z12-013 describes the API of a compatible
 * solution, XP Z12-012 the lifecycle statuses). The CRM is the compatible solution: it deposits
 * an issued invoice's CII (Factur-X XML) with its number and reads back its lifecycle. Adapters:
 * `HttpPlatform` (http-platform.ts); tests use a real HTTP fake of the same API.
 */

/** Lifecycle statuses by their XP Z12-012 code; Déposée, Refusée, Encaissée and Rejetée are mandatory. */
export const PLATFORM_STATUSES = {
  '200': { status: 'deposee', label: 'Déposée' },
  '201': { status: 'emise', label: 'Émise par la plateforme' },
  '202': { status: 'recue', label: 'Reçue par la plateforme du destinataire' },
  '203': { status: 'mise_a_disposition', label: 'Mise à disposition' },
  '204': { status: 'prise_en_charge', label: 'Prise en charge' },
  '205': { status: 'approuvee', label: 'Approuvée' },
  '206': { status: 'approuvee_partiellement', label: 'Approuvée partiellement' },
  '207': { status: 'en_litige', label: 'En litige' },
  '208': { status: 'suspendue', label: 'Suspendue' },
  '209': { status: 'completee', label: 'Complétée' },
  '210': { status: 'refusee', label: 'Refusée' },
  '211': { status: 'paiement_transmis', label: 'Paiement transmis' },
  '212': { status: 'encaissee', label: 'Encaissée' },
  '213': { status: 'rejetee', label: 'Rejetée' },
} as const;
export type PlatformStatusCode = keyof typeof PLATFORM_STATUSES;
export type TransmissionStatus = 'pending' | (typeof PLATFORM_STATUSES)[PlatformStatusCode]['status'];

/** After these the platform says nothing more about the invoice: the refresh stops asking. */
export const FINAL_TRANSMISSION_STATUSES: readonly TransmissionStatus[] = ['rejetee', 'refusee', 'encaissee'];

export const TRANSMISSION_STATUS_LABELS: Record<TransmissionStatus, string> = {
  pending: 'Non transmise (aucun accusé de dépôt)',
  ...(Object.fromEntries(Object.values(PLATFORM_STATUSES).map((s) => [s.status, s.label])) as Record<Exclude<TransmissionStatus, 'pending'>, string>),
};

export const isPlatformStatusCode = (code: string): code is PlatformStatusCode => Object.hasOwn(PLATFORM_STATUSES, code);

/** One lifecycle status as the platform reports it. */
export interface PlatformStatusEntry {
  code: PlatformStatusCode;
  /** ISO instant given by the platform. */
  at: string;
  /** Why (a rejection's or refusal's reason), when given. */
  reason: string | null;
}

/** The deposit receipt: without it nothing is transmitted. */
export interface PlatformReceipt {
  receiptId: string;
  receivedAt: string;
  /** The sha256 of the bytes the platform received, checked against what was sent. */
  sha256: string;
}

export interface PlatformSubmission {
  /** The invoice's number (BT-1). */
  invoiceNumber: string;
  fileName: string;
  /** The CII D16B XML (the `factur-x.xml` of the Factur-X). */
  xml: Uint8Array;
  /** The same key for every attempt of one invoice: a platform answers a repeat with the first deposit. */
  idempotencyKey: string;
}

export interface PlatformDeposit {
  platformId: string;
  receipt: PlatformReceipt;
  statuses: PlatformStatusEntry[];
}

export interface InvoicePlatform {
  /** For the screens and the audit: which platform (its base URL's host). */
  readonly name: string;
  submit(submission: PlatformSubmission): Promise<PlatformDeposit>;
  statuses(platformId: string): Promise<PlatformStatusEntry[]>;
}

/** A platform call that failed: refused (4xx, `status`), unavailable (5xx) or unreachable (null). */
export class PlatformError extends Error {
  readonly status: number | null;
  constructor(message: string, status: number | null) {
    super(message);
    this.name = 'PlatformError';
    this.status = status;
  }
}
