import { classifyDbError, type Prisma, type Role, type Tx } from '@crm/db';
import { disclosedIban } from '../access/iban-disclosure.ts';
import { loadClient } from '../shared/load-client.ts';
import { auditAs } from '../audit/record-audit.ts';
import { addDays } from '../calendar/business-days.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { dateOf, isoOf, parisToday } from './dates.ts';
import { keysetPages } from './list-pages.ts';
import type { TAmendMandateInput, TListMandatesInput, TMandateIdInput } from './payments.schema.ts';
import { addMonths } from './schedule-rules.ts';

const mandatePages = keysetPages('mandates', 'createdAt', 'desc', 'instant');

/**
 * A mandate lapses when no collection was presented for 36 months (SEPA rulebook): counted from
 * its last collection presented, else from its signature, to the collection date of the debit
 * that would use it. 36 months to the day is still in time; a day more is not.
 */
export const MANDATE_DORMANCY_MONTHS = 36;

type MandateUse = { signedOn: Date; lastCollectionOn: Date | null };
type MandateRow = Prisma.SepaMandateGetPayload<{ include: { client: { select: { displayName: true } }; contract: { select: { number: true } } } }>;

/** The last collection date the mandate can still be used for: 36 months after its last use (month ends clamped). */
export const mandateLapseDate = (mandate: MandateUse): string => addMonths(isoOf(mandate.lastCollectionOn ?? mandate.signedOn), MANDATE_DORMANCY_MONTHS);

/** Whether a debit collected on `collectionDate` would come more than 36 months after the mandate's last use. */
export const isLapsedFor = (mandate: MandateUse, collectionDate: string): boolean => collectionDate > mandateLapseDate(mandate);

/**
 * The same rule as a bound on the last use, for queries: a mandate is lapsed for `date` exactly
 * when its last use (collection, else signature) is before the returned day (the earliest last
 * use whose 36 months reach `date`; with month ends clamped, 29 February 2028 is reached from
 * 1 March 2025, 28 February 2027 from 28 February 2024).
 */
export function earliestUsableLastUse(date: string): string {
  const back = addMonths(date, -MANDATE_DORMANCY_MONTHS);
  return addMonths(back, MANDATE_DORMANCY_MONTHS) >= date ? back : addDays(back, 1);
}

/** Mandates lapsed for `date`, and (not the negation: SQL's NOT of a NULL comparison is no row) those still usable. */
const lapsedFor = (date: string): Prisma.SepaMandateWhereInput => {
  const bound = dateOf(earliestUsableLastUse(date));
  return { OR: [{ lastCollectionOn: { lt: bound } }, { lastCollectionOn: null, signedOn: { lt: bound } }] };
};
const usableFor = (date: string): Prisma.SepaMandateWhereInput => {
  const bound = dateOf(earliestUsableLastUse(date));
  return { OR: [{ lastCollectionOn: { gte: bound } }, { lastCollectionOn: null, signedOn: { gte: bound } }] };
};

/** Mandates not yet marked expired but lapsed on `today`: no collection date from today on can use them. */
export const isDormant = (mandate: MandateUse, today: string): boolean => isLapsedFor(mandate, today);

/** The mandate as `role` may see it: its IBANs whole only for who writes payments (iban-disclosure.ts). */
function toMandateView(m: MandateRow, today: string, role: Role) {
  return {
    id: m.id,
    rum: m.rum,
    clientId: m.clientId,
    clientName: m.client.displayName,
    contractId: m.contractId,
    contractNumber: m.contract?.number ?? null,
    debtorName: m.debtorName,
    iban: disclosedIban(role, 'mandate', m.iban),
    bic: m.bic,
    signedOn: isoOf(m.signedOn),
    signedPlace: m.signedPlace,
    scheme: m.scheme,
    recurrent: m.recurrent,
    // Computed on read as well, so a lapsed mandate shows as such before the worker's pass.
    status: m.status === 'active' && isDormant(m, today) ? ('expired' as const) : m.status,
    lastCollectionOn: m.lastCollectionOn ? isoOf(m.lastCollectionOn) : null,
    pendingAmendment: m.originalIban !== null || m.originalRum !== null,
    originalRum: m.originalRum,
    originalIban: disclosedIban(role, 'mandate', m.originalIban),
    revokedAt: m.revokedAt?.toISOString() ?? null,
  };
}
export type MandateView = ReturnType<typeof toMandateView>;

const include = { client: { select: { displayName: true } }, contract: { select: { number: true } } } as const;

/**
 * Marks expired the active mandates lapsed on `today` (no collection from today on may use them);
 * the worker's housekeeping runs it, and batches before selecting.
 */
export async function expireDormantMandates(tx: Tx, tenantId: string, today: string): Promise<number> {
  const { count } = await tx.sepaMandate.updateMany({ where: { tenantId, status: 'active', ...lapsedFor(today) }, data: { status: 'expired' } });
  return count;
}

/** The statuses as shown: an active mandate lapsed today is shown expired before the worker's pass marks it. */
function statusWhere(status: TListMandatesInput['status'], today: string): Prisma.SepaMandateWhereInput {
  if (status === 'active') return { status: 'active', ...usableFor(today) };
  if (status === 'expired') return { OR: [{ status: 'expired' }, { status: 'active', ...lapsedFor(today) }] };
  return status ? { status } : {};
}

/** One page of mandates, newest first, by keyset on (created_at, id). */
export async function listMandates({ tx, actor, now }: TenantDeps, input: TListMandatesInput) {
  const today = parisToday(now);
  if (input.clientId) await loadClient({ tx, actor }, input.clientId, { id: true });
  const rows = await tx.sepaMandate.findMany({
    where: {
      tenantId: actor.tenantId,
      ...(input.clientId ? { clientId: input.clientId } : {}),
      AND: [statusWhere(input.status, today), mandatePages.after<Prisma.SepaMandateWhereInput>(input.cursor)],
    },
    include,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  return mandatePages.of(rows, input.limit, (m) => toMandateView(m, today, actor.role));
}

export async function getMandate({ tx, actor, now }: TenantDeps, input: TMandateIdInput) {
  const mandate = await tx.sepaMandate.findFirst({ where: { id: input.mandateId, tenantId: actor.tenantId }, include });
  if (!mandate) throw notFound('Mandat');
  const items = await tx.scheduleItem.findMany({
    where: { tenantId: actor.tenantId, mandateId: mandate.id },
    orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
    select: { id: true, dueDate: true, amountCents: true, status: true, sequenceType: true, endToEndId: true },
  });
  return {
    ...toMandateView(mandate, parisToday(now), actor.role),
    items: items.map((i) => ({ ...i, dueDate: isoOf(i.dueDate) })),
  };
}

async function assertNotInPendingBatch(tx: Tx, tenantId: string, mandateId: string) {
  if (await tx.scheduleItem.count({ where: { tenantId, mandateId, status: 'batched' } })) {
    throw conflict('Ce mandat figure dans un lot non encore envoyé : annulez le lot ou envoyez-le d’abord');
  }
}

/** A change of scheme is no amendment (SEPA rulebooks): a new mandate, new RUM and new signature. */
export const SCHEME_CHANGE_REFUSED =
  'Un mandat ne change pas de schéma (CORE ↔ B2B) : le débiteur doit signer un nouveau mandat, avec une nouvelle RUM. ' +
  'Révoquez ce mandat et faites signer un nouveau contrat sous le schéma voulu.';

/**
 * Amends a mandate: a new IBAN (other bank account) or RUM keeps the previous value in
 * originalIban / originalRum until the next collection carries it (AmdmntInfDtls) and the batch
 * is marked sent; going back to that previous value before then leaves nothing to announce.
 * Refused while the mandate sits in a batch not sent yet, whose file must not change. The scheme
 * (CORE or B2B) is never amended: it is what the debtor signed, with its refund rights.
 */
export async function amendMandate({ tx, actor, now }: TenantDeps, input: TAmendMandateInput) {
  const mandate = await tx.sepaMandate.findFirst({ where: { id: input.mandateId, tenantId: actor.tenantId } });
  if (!mandate) throw notFound('Mandat');
  if (mandate.status !== 'active' || isDormant(mandate, parisToday(now))) throw conflict('Seul un mandat actif peut être modifié');
  if (input.scheme !== undefined && input.scheme !== mandate.scheme) throw badRequest(SCHEME_CHANGE_REFUSED, { scheme: [SCHEME_CHANGE_REFUSED] });
  await assertNotInPendingBatch(tx, actor.tenantId, mandate.id);
  const data: Prisma.SepaMandateUpdateManyMutationInput = {};
  const changed: string[] = [];
  if (input.iban !== undefined && input.iban !== mandate.iban) {
    data.iban = input.iban;
    if (mandate.originalIban === null) data.originalIban = mandate.iban;
    else if (mandate.originalIban === input.iban) data.originalIban = null;
    changed.push('iban');
  }
  if (input.bic !== undefined && input.bic !== mandate.bic) {
    data.bic = input.bic;
    changed.push('bic');
  }
  if (input.debtorName !== undefined && input.debtorName !== mandate.debtorName) {
    data.debtorName = input.debtorName;
    changed.push('debtorName');
  }
  if (input.rum !== undefined && input.rum !== mandate.rum) {
    data.rum = input.rum;
    if (mandate.originalRum === null) data.originalRum = mandate.rum;
    else if (mandate.originalRum === input.rum) data.originalRum = null;
    changed.push('rum');
  }
  if (changed.length === 0) throw badRequest('Aucune modification');
  await tx.sepaMandate.updateMany({ where: { id: mandate.id, tenantId: actor.tenantId }, data }).catch((error: unknown) => {
    if (classifyDbError(error)?.kind === 'conflict') throw conflict('Cette RUM est déjà utilisée', { rum: ['Cette RUM est déjà utilisée'] });
    throw error;
  });
  await auditAs(tx, actor, { action: 'mandate.amended', entityType: 'sepa_mandate', entityId: mandate.id, data: { fields: changed } });
  return getMandate({ tx, actor, now }, { mandateId: mandate.id });
}

/** Revokes a mandate: its planned items stay planned but are no longer collected by debit. */
export async function revokeMandate({ tx, actor, now }: TenantDeps, input: TMandateIdInput) {
  const mandate = await tx.sepaMandate.findFirst({ where: { id: input.mandateId, tenantId: actor.tenantId }, select: { id: true, status: true } });
  if (!mandate) throw notFound('Mandat');
  if (mandate.status === 'revoked') throw conflict('Mandat déjà révoqué');
  await assertNotInPendingBatch(tx, actor.tenantId, mandate.id);
  await tx.sepaMandate.updateMany({ where: { id: mandate.id, tenantId: actor.tenantId }, data: { status: 'revoked', revokedAt: now } });
  await auditAs(tx, actor, { action: 'mandate.revoked', entityType: 'sepa_mandate', entityId: mandate.id });
  return getMandate({ tx, actor, now }, { mandateId: mandate.id });
}
