import type { Prisma, Role } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { disclosedIban } from '../access/iban-disclosure.ts';
import { notFound } from '../shared/errors.ts';
import { vatOfLine } from '../shared/money.ts';
import type { ContractStatusName } from './contracts.schema.ts';
import { withdrawalDeadline } from './withdrawal-period.ts';
import { parisDay } from '../shared/paris-day.ts';

export const CONTRACT_STATUS_LABELS: Record<ContractStatusName, string> = {
  draft: 'brouillon',
  sent: 'envoyé pour signature',
  signed: 'signé',
  active: 'actif',
  suspended: 'suspendu',
  terminated: 'résilié',
  cancelled: 'annulé',
};

/** The calendar day of an instant in Paris, AAAA-MM-JJ. */
export const parisDate = (at: Date): string => parisDay(at);
/** A `@db.Date` column as AAAA-MM-JJ. */
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

export interface LineAmounts {
  quantity: number;
  unitPriceCents: number;
  vatRateBasisPoints: number;
}

/** One line per period: HT = quantity x unit price, VAT rounded half-up per line, TTC their sum. */
export function lineTotals(line: LineAmounts) {
  const htCents = line.quantity * line.unitPriceCents;
  const vatCents = vatOfLine(htCents, line.vatRateBasisPoints);
  return { htCents, vatCents, ttcCents: htCents + vatCents };
}

/** The totals of a period: sums of the rounded lines. */
export function contractTotals(lines: readonly LineAmounts[]) {
  return lines.map(lineTotals).reduce(
    (sum, line) => ({ htCents: sum.htCents + line.htCents, vatCents: sum.vatCents + line.vatCents, ttcCents: sum.ttcCents + line.ttcCents }),
    { htCents: 0, vatCents: 0, ttcCents: 0 },
  );
}

export const CONTRACT_CLIENT_COLUMNS = {
  id: true,
  kind: true,
  displayName: true,
  firstName: true,
  lastName: true,
  companyName: true,
  email: true,
  addressLine1: true,
  addressLine2: true,
  postalCode: true,
  city: true,
  country: true,
  salesRepId: true,
} as const satisfies Prisma.ClientSelect;

const CONTRACT_INCLUDE = {
  lines: { orderBy: { position: 'asc' } },
  client: { select: CONTRACT_CLIENT_COLUMNS },
  stateChanges: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
} as const satisfies Prisma.ContractInclude;

export type ContractRow = Prisma.ContractGetPayload<{ include: typeof CONTRACT_INCLUDE }>;

/**
 * A contract of the tenant whose client the actor may see: the client is read through the same
 * transaction, so the sales scope on clients hides another rep's contracts (NOT_FOUND), like
 * another tenant's.
 */
export async function loadContract({ tx, actor }: Pick<TenantDeps, 'tx'> & { actor: { tenantId: string } }, contractId: string): Promise<ContractRow> {
  const contract = await tx.contract.findFirst({
    where: { id: contractId, tenantId: actor.tenantId, client: { is: { tenantId: actor.tenantId } } },
    include: CONTRACT_INCLUDE,
  });
  if (!contract?.client) throw notFound('Contrat');
  return contract;
}

/** The contract as `role` may see it: the debtor's IBAN whole only for who writes contracts (iban-disclosure.ts). */
export function toContractView(c: ContractRow, role: Role) {
  const lines = c.lines.map((line) => ({
    id: line.id,
    productId: line.productId,
    label: line.label,
    quantity: line.quantity,
    unitPriceCents: line.unitPriceCents,
    vatRateBasisPoints: line.vatRateBasisPoints,
    ...lineTotals(line),
  }));
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    statusLabel: CONTRACT_STATUS_LABELS[c.status],
    client: { id: c.client.id, kind: c.client.kind, displayName: c.client.displayName, city: c.client.city },
    salesRepId: c.salesRepId,
    billingFrequency: c.billingFrequency,
    startDate: isoDay(c.startDate),
    durationMonths: c.durationMonths,
    tacitRenewal: c.tacitRenewal,
    paymentMethod: c.paymentMethod,
    consumer: c.consumer,
    preNotificationDays: c.preNotificationDays,
    debitDay: c.debitDay,
    rejectFeeCents: c.rejectFeeCents,
    debtorName: c.debtorName,
    debtorIban: disclosedIban(role, 'contractDebtor', c.debtorIban),
    debtorBic: c.debtorBic,
    sepaScheme: c.sepaScheme,
    notes: c.notes,
    lines,
    totals: contractTotals(c.lines),
    sentAt: c.sentAt?.toISOString() ?? null,
    signedAt: c.signedAt?.toISOString() ?? null,
    signedOn: c.signedOn ? isoDay(c.signedOn) : null,
    signerName: c.signerName,
    signedDocumentSha256: c.signedDocumentSha256,
    activatedAt: c.activatedAt?.toISOString() ?? null,
    suspendedAt: c.suspendedAt?.toISOString() ?? null,
    endDate: c.endDate ? isoDay(c.endDate) : null,
    cancelledAt: c.cancelledAt?.toISOString() ?? null,
    cancellationReason: c.cancellationReason,
    withdrawn: c.withdrawn,
    /** A consumer contract once signed: the last day the consumer may withdraw (inclusive). */
    withdrawalDeadline: c.consumer && c.signedOn ? withdrawalDeadline(isoDay(c.signedOn)) : null,
    signedPlace: c.signedPlace,
    /** The consent the signer agreed to, as stored with the signature (null before). */
    consentText: c.consentText,
    signerCapacity: c.signerCapacity,
    signingChannel: c.signingChannel,
    history: c.stateChanges.map((s) => ({ from: s.fromStatus, to: s.toStatus, at: s.at.toISOString(), actorUserId: s.actorUserId, reason: s.reason })),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
export type ContractView = ReturnType<typeof toContractView>;
