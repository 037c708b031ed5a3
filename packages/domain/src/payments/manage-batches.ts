import { createHash } from 'node:crypto';
import type { Prisma } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { endScheduleAt } from './adjust-schedule.ts';
import { renderBatchFile } from './batch-file.ts';
import { cancelPlannedItems } from './create-schedule.ts';
import { isoOf } from './dates.ts';
import { keysetPages } from './list-pages.ts';
import type { TBatchIdInput, TBatchItemInput, TListBatchesInput } from './payments.schema.ts';

const batchPages = keysetPages('batches', 'number', 'desc', 'number');

type BatchRow = Prisma.SepaBatchGetPayload<object> & { _count?: { exclusions: number } };

function toBatchView(b: BatchRow) {
  return {
    id: b.id,
    number: b.number,
    messageId: b.messageId,
    collectionDate: isoOf(b.collectionDate),
    format: b.format,
    status: b.status,
    itemCount: b.itemCount,
    totalCents: Number(b.totalCents),
    createdAt: b.createdAt.toISOString(),
    sentAt: b.sentAt?.toISOString() ?? null,
    cancelledAt: b.cancelledAt?.toISOString() ?? null,
    /** Planned debits the batch left out because the bank would refuse them (getBatch says why). */
    excludedCount: b._count?.exclusions ?? 0,
  };
}
export type BatchView = ReturnType<typeof toBatchView>;

/** One page of batches, newest (highest number) first. */
export async function listBatches({ tx, actor }: TenantDeps, input: TListBatchesInput) {
  const rows = await tx.sepaBatch.findMany({
    where: { tenantId: actor.tenantId, AND: [batchPages.after<Prisma.SepaBatchWhereInput>(input.cursor)] },
    include: { _count: { select: { exclusions: true } } },
    orderBy: [{ number: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  return batchPages.of(rows, input.limit, toBatchView);
}

async function findBatch({ tx, actor }: TenantDeps, batchId: string) {
  const batch = await tx.sepaBatch.findFirst({ where: { id: batchId, tenantId: actor.tenantId } });
  if (!batch) throw notFound('Lot');
  return batch;
}

export async function getBatch(deps: TenantDeps, input: TBatchIdInput) {
  const batch = await findBatch(deps, input.batchId);
  const items = await deps.tx.scheduleItem.findMany({
    where: { tenantId: deps.actor.tenantId, batchId: batch.id },
    include: { client: { select: { displayName: true } }, contract: { select: { number: true } }, mandate: { select: { rum: true } } },
    orderBy: { endToEndId: 'asc' },
  });
  const exclusions = await deps.tx.sepaBatchExclusion.findMany({
    where: { tenantId: deps.actor.tenantId, batchId: batch.id },
    include: { scheduleItem: { include: { client: { select: { displayName: true } }, contract: { select: { number: true } } } } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return {
    ...toBatchView({ ...batch, _count: { exclusions: exclusions.length } }),
    excluded: exclusions.map(({ scheduleItem: i, reasons }) => ({
      id: i.id,
      dueDate: isoOf(i.dueDate),
      amountCents: i.amountCents,
      status: i.status,
      clientId: i.clientId,
      clientName: i.client.displayName,
      contractId: i.contractId,
      contractNumber: i.contract.number,
      reasons,
    })),
    items: items.map((i) => ({
      id: i.id,
      endToEndId: i.endToEndId,
      sequenceType: i.sequenceType,
      status: i.status,
      amountCents: i.amountCents,
      dueDate: isoOf(i.dueDate),
      clientId: i.clientId,
      clientName: i.client.displayName,
      contractId: i.contractId,
      contractNumber: i.contract.number,
      rum: i.mandate?.rum ?? null,
    })),
  };
}

/** The batch's pain.008 file: the bytes stored when it was built, byte-identical every time. */
export async function getBatchFile(deps: TenantDeps, input: TBatchIdInput) {
  const batch = await findBatch(deps, input.batchId);
  if (batch.status === 'cancelled') throw conflict('Lot annulé : pas de fichier');
  const stored = await deps.tx.sepaBatchFile.findUnique({
    where: { tenantId_batchId: { tenantId: deps.actor.tenantId, batchId: batch.id } },
    select: { xml: true },
  });
  if (stored) return { fileName: `${batch.messageId}.xml`, xml: stored.xml };
  const file = await renderBatchFile(deps.tx, deps.actor.tenantId, batch.id);
  return { fileName: file.fileName, xml: file.xml };
}

/**
 * The file went to the bank: the batch is sent, its items submitted, and each mandate records
 * its collection (for the 36-month rule) and drops the amendment the file carried.
 */
export async function markBatchSent(deps: TenantDeps, input: TBatchIdInput) {
  const { tx, actor, now } = deps;
  const batch = await findBatch(deps, input.batchId);
  if (batch.status !== 'generated') throw conflict(batch.status === 'sent' ? 'Lot déjà envoyé' : 'Lot annulé');
  await tx.sepaBatch.updateMany({ where: { id: batch.id, tenantId: actor.tenantId, status: 'generated' }, data: { status: 'sent', sentAt: now } });
  await tx.scheduleItem.updateMany({ where: { tenantId: actor.tenantId, batchId: batch.id, status: 'batched' }, data: { status: 'submitted' } });
  await tx.sepaMandate.updateMany({
    where: { tenantId: actor.tenantId, scheduleItems: { some: { batchId: batch.id } } },
    data: { lastCollectionOn: batch.collectionDate, originalIban: null, originalRum: null, originalCreditorId: null },
  });
  await auditAs(tx, actor, { action: 'batch.sent', entityType: 'sepa_batch', entityId: batch.id });
  return getBatch(deps, input);
}

/**
 * Cancels a batch the bank has not received: its items go back to planned without their
 * EndToEndIds, which are retired (the counter never hands them out again). An item whose
 * contract was terminated or cancelled while it sat in the batch now follows that contract:
 * cut at its end date (prorated or cancelled) or cancelled, as it would have been if planned.
 */
export async function cancelBatch(deps: TenantDeps, input: TBatchIdInput) {
  const { tx, actor, now } = deps;
  const batch = await findBatch(deps, input.batchId);
  if (batch.status !== 'generated') throw conflict(batch.status === 'sent' ? 'Lot déjà envoyé : il ne peut plus être annulé' : 'Lot déjà annulé');
  const ended = await tx.contract.findMany({
    where: { tenantId: actor.tenantId, status: { in: ['terminated', 'cancelled'] }, scheduleItems: { some: { batchId: batch.id, status: 'batched' } } },
    select: { id: true, status: true, endDate: true },
  });
  await tx.scheduleItem.updateMany({
    where: { tenantId: actor.tenantId, batchId: batch.id, status: 'batched' },
    data: { status: 'planned', batchId: null, endToEndId: null, sequenceType: null },
  });
  for (const contract of ended) {
    if (contract.status === 'cancelled') await cancelPlannedItems(tx, actor.tenantId, contract.id);
    else if (contract.endDate) await endScheduleAt(tx, actor.tenantId, contract.id, isoOf(contract.endDate));
  }
  await tx.sepaBatch.updateMany({ where: { id: batch.id, tenantId: actor.tenantId }, data: { status: 'cancelled', cancelledAt: now } });
  await auditAs(tx, actor, { action: 'batch.cancelled', entityType: 'sepa_batch', entityId: batch.id });
  return toBatchView({ ...batch, status: 'cancelled', cancelledAt: now });
}

/** Why a debit a person took out of a batch is not in it (shown with the batch's other exclusions). */
export const REMOVED_BY_HAND = 'Retiré du lot avant l’envoi à la banque';

/**
 * Takes one debit out of a batch the bank has not received: the debit goes back to planned (its
 * EndToEndId retired, as when a batch is cancelled), the batch's count and total drop, the file
 * is made again from what stays (same MsgId: the bank never saw the first one), and the batch
 * records the debit among its exclusions. The last debit cannot go: cancel the batch instead.
 */
export async function removeBatchItem(deps: TenantDeps, input: TBatchItemInput) {
  const { tx, actor } = deps;
  const batch = await findBatch(deps, input.batchId);
  if (batch.status !== 'generated') throw conflict(batch.status === 'sent' ? 'Lot déjà envoyé : ses prélèvements ne peuvent plus être retirés' : 'Lot annulé');
  const item = await tx.scheduleItem.findFirst({ where: { id: input.scheduleItemId, tenantId: actor.tenantId, batchId: batch.id, status: 'batched' } });
  if (!item) throw notFound('Prélèvement');
  const remaining = await tx.scheduleItem.count({ where: { tenantId: actor.tenantId, batchId: batch.id, status: 'batched' } });
  if (remaining <= 1) throw conflict('C’est le dernier prélèvement du lot : annulez le lot plutôt');
  await tx.scheduleItem.updateMany({
    where: { id: item.id, tenantId: actor.tenantId, status: 'batched' },
    data: { status: 'planned', batchId: null, endToEndId: null, sequenceType: null },
  });
  await tx.sepaBatch.updateMany({
    where: { id: batch.id, tenantId: actor.tenantId, status: 'generated' },
    data: { itemCount: { decrement: 1 }, totalCents: { decrement: BigInt(item.amountCents) } },
  });
  await tx.sepaBatchExclusion.upsert({
    where: { tenantId_batchId_scheduleItemId: { tenantId: actor.tenantId, batchId: batch.id, scheduleItemId: item.id } },
    create: { tenantId: actor.tenantId, batchId: batch.id, scheduleItemId: item.id, reasons: [REMOVED_BY_HAND] },
    update: { reasons: [REMOVED_BY_HAND] },
  });
  const contract = await tx.contract.findFirst({ where: { id: item.contractId, tenantId: actor.tenantId }, select: { status: true, endDate: true } });
  if (contract?.status === 'cancelled') await cancelPlannedItems(tx, actor.tenantId, item.contractId);
  else if (contract?.status === 'terminated' && contract.endDate) await endScheduleAt(tx, actor.tenantId, item.contractId, isoOf(contract.endDate));
  const file = await renderBatchFile(tx, actor.tenantId, batch.id);
  await tx.sepaBatchFile.updateMany({
    where: { tenantId: actor.tenantId, batchId: batch.id },
    data: { xml: file.xml, sha256: createHash('sha256').update(file.xml).digest('hex') },
  });
  await auditAs(tx, actor, { action: 'batch.item_removed', entityType: 'sepa_batch', entityId: batch.id, data: { scheduleItemId: item.id, amountCents: item.amountCents } });
  return getBatch(deps, { batchId: batch.id });
}
