import { classifyDbError, type Prisma, type Tx } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { dateOf, isoOf, parisToday } from './dates.ts';
import type { TAmendMandateInput, TListMandatesInput, TMandateIdInput } from './payments.schema.ts';
import { addMonths } from './schedule-rules.ts';
import { assertSchemeAllowed } from '../sepa/sepa-schemes.ts';

/** A mandate unused for 36 months lapses (SEPA rulebook): counted from its last collection, else its signature. */
export const MANDATE_DORMANCY_MONTHS = 36;

type MandateRow = Prisma.SepaMandateGetPayload<{ include: { client: { select: { displayName: true } }; contract: { select: { number: true } } } }>;

export function isDormant(mandate: { signedOn: Date; lastCollectionOn: Date | null }, today: string): boolean {
  return addMonths(isoOf(mandate.lastCollectionOn ?? mandate.signedOn), MANDATE_DORMANCY_MONTHS) <= today;
}

function toMandateView(m: MandateRow, today: string) {
  return {
    id: m.id,
    rum: m.rum,
    clientId: m.clientId,
    clientName: m.client.displayName,
    contractId: m.contractId,
    contractNumber: m.contract?.number ?? null,
    debtorName: m.debtorName,
    iban: m.iban,
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
    originalIban: m.originalIban,
    revokedAt: m.revokedAt?.toISOString() ?? null,
  };
}
export type MandateView = ReturnType<typeof toMandateView>;

const include = { client: { select: { displayName: true } }, contract: { select: { number: true } } } as const;

/** Marks active mandates unused for 36 months as expired; the worker runs it daily, batches before selecting. */
export async function expireDormantMandates(tx: Tx, tenantId: string, today: string): Promise<number> {
  const limit = dateOf(addMonths(today, -MANDATE_DORMANCY_MONTHS));
  const { count } = await tx.sepaMandate.updateMany({
    where: {
      tenantId,
      status: 'active',
      OR: [{ lastCollectionOn: { lte: limit } }, { lastCollectionOn: null, signedOn: { lte: limit } }],
    },
    data: { status: 'expired' },
  });
  return count;
}

export async function listMandates({ tx, actor, now }: TenantDeps, input: TListMandatesInput) {
  const today = parisToday(now);
  if (input.clientId && !(await tx.client.findFirst({ where: { id: input.clientId, tenantId: actor.tenantId }, select: { id: true } }))) throw notFound('Client');
  const rows = await tx.sepaMandate.findMany({
    where: { tenantId: actor.tenantId, ...(input.clientId ? { clientId: input.clientId } : {}) },
    include,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 500,
  });
  const views = rows.map((m) => toMandateView(m, today));
  return input.status ? views.filter((m) => m.status === input.status) : views;
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
    ...toMandateView(mandate, parisToday(now)),
    items: items.map((i) => ({ ...i, dueDate: isoOf(i.dueDate) })),
  };
}

async function assertNotInPendingBatch(tx: Tx, tenantId: string, mandateId: string) {
  if (await tx.scheduleItem.count({ where: { tenantId, mandateId, status: 'batched' } })) {
    throw conflict('Ce mandat figure dans un lot non encore envoyé : annulez le lot ou envoyez-le d’abord');
  }
}

/**
 * Amends a mandate: a new IBAN (other bank account) or RUM keeps the previous value in
 * originalIban / originalRum until the next collection carries it (AmdmntInfDtls) and the batch
 * is marked sent. Refused while the mandate sits in a batch not sent yet, whose file must not change.
 */
export async function amendMandate({ tx, actor, now }: TenantDeps, input: TAmendMandateInput) {
  const mandate = await tx.sepaMandate.findFirst({
    where: { id: input.mandateId, tenantId: actor.tenantId },
    include: { client: { select: { kind: true } }, contract: { select: { consumer: true } } },
  });
  if (!mandate) throw notFound('Mandat');
  if (mandate.status !== 'active' || isDormant(mandate, parisToday(now))) throw conflict('Seul un mandat actif peut être modifié');
  await assertNotInPendingBatch(tx, actor.tenantId, mandate.id);
  if (input.scheme) assertSchemeAllowed(input.scheme, { kind: mandate.client.kind, consumer: mandate.contract?.consumer }, 'scheme');
  const data: Prisma.SepaMandateUpdateManyMutationInput = {};
  const changed: string[] = [];
  if (input.iban !== undefined && input.iban !== mandate.iban) {
    data.iban = input.iban;
    if (mandate.originalIban === null) data.originalIban = mandate.iban;
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
    changed.push('rum');
  }
  if (input.scheme !== undefined && input.scheme !== mandate.scheme) {
    data.scheme = input.scheme;
    changed.push('scheme');
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
