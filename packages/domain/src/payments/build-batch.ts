import { createHash } from 'node:crypto';
type SequenceType = 'FRST' | 'RCUR' | 'OOFF';
import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict } from '../shared/errors.ts';
import { assertCreditor, CREDITOR_COLUMNS, renderBatchFile } from './batch-file.ts';
import { selectBatchItems } from './batch-selection.ts';
import { getBatch } from './manage-batches.ts';
import { reserveCounter } from '../shared/counters.ts';
import { dateOf, parisToday } from './dates.ts';
import type { TBatchDateInput } from './payments.schema.ts';
import { assertOrganisationWideView } from '../shared/view-scope.ts';

/** What a batch for that date would take, without taking it, and what it would leave out and why. */
export async function previewBatch({ tx, actor, now }: TenantDeps, input: TBatchDateInput) {
  // A scoped member would see their clients' part of the batch as if it were the batch.
  await assertOrganisationWideView(tx);
  const selection = await selectBatchItems(tx, actor.tenantId, parisToday(now), input);
  return { ...selection, itemCount: selection.items.length };
}

const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;

/**
 * EndToEndIds are unique per tenant and never reused: a per-tenant counter, prefixed with the
 * random end of the tenant's id so that another creditor's returns cannot name our debits.
 */
export const endToEndIdOf = (tenantId: string, n: number) =>
  `E2E-${tenantId.replace(/-/g, '').slice(-10).toUpperCase()}-${String(n).padStart(10, '0')}`;

/**
 * Builds the batch for a collection date: selects the items, assigns the batch number and MsgId,
 * an EndToEndId and a sequence type per item (OOFF for a one-off mandate; FRST for a mandate's
 * first collection when the organisation asks for it, every item of that mandate in the batch
 * included; RCUR otherwise), freezes them (status batched) and makes the file once to refuse
 * anything the bank would (the transaction rolls back on any problem). The debits the selection
 * left out (the bank would refuse them) stay planned, recorded on the batch with their reasons.
 */
export async function buildBatch({ tx, actor, now }: TenantDeps, input: TBatchDateInput) {
  await assertOrganisationWideView(tx);
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { ...CREDITOR_COLUMNS, sepaUseFrst: true } });
  assertCreditor(organisation);
  const selection = await selectBatchItems(tx, actor.tenantId, parisToday(now), input);
  if (selection.items.length === 0) {
    const left = [...selection.notNotified, ...selection.excluded];
    const message =
      left.length > 0
        ? `Aucune échéance prélevable pour cette date : ${plural(left.length, 'échéance')} ${left.length > 1 ? 'sont écartées' : 'est écartée'} (` +
          left.slice(0, 5).map((item) => `${item.clientName}, ${item.contractNumber} : ${item.reasons[0]}`).join(' ; ') +
          `${left.length > 5 ? ' ; …' : ''})`
        : 'Aucune échéance à prélever pour cette date';
    throw badRequest(message, { collectionDate: [message] });
  }

  const mandateIds = [...new Set(selection.items.map((item) => item.mandateId))];
  const mandates = await tx.sepaMandate.findMany({ where: { tenantId: actor.tenantId, id: { in: mandateIds } }, select: { id: true, recurrent: true } });
  const collected = await tx.scheduleItem.groupBy({
    by: ['mandateId'],
    where: { tenantId: actor.tenantId, mandateId: { in: mandateIds }, status: { in: ['submitted', 'paid'] } },
  });
  const alreadyCollected = new Set(collected.map((row) => row.mandateId));
  const sequenceOf = new Map<string, SequenceType>(
    mandates.map((m) => [m.id, !m.recurrent ? 'OOFF' : organisation.sepaUseFrst && !alreadyCollected.has(m.id) ? 'FRST' : 'RCUR']),
  );

  const number = await reserveCounter(tx, actor.tenantId, 'sepa.batch');
  const firstE2e = await reserveCounter(tx, actor.tenantId, 'sepa.e2e', selection.items.length);
  const batch = await tx.sepaBatch.create({
    data: {
      tenantId: actor.tenantId,
      number,
      messageId: `PRLV-${input.collectionDate.replace(/-/g, '')}-${String(number).padStart(6, '0')}`,
      collectionDate: dateOf(input.collectionDate),
      format: organisation.sepaFormat,
      status: 'generated',
      itemCount: selection.items.length,
      totalCents: BigInt(selection.totalCents),
      createdBy: actor.userId,
      createdAt: new Date(Math.floor(now.getTime() / 1000) * 1000), // the file's CreDtTm, to the second
    },
  });
  const ids = selection.items.map((item) => item.id);
  const sequences = selection.items.map((item) => sequenceOf.get(item.mandateId)!);
  const e2es = selection.items.map((_, i) => endToEndIdOf(actor.tenantId, firstE2e + i));
  const updated = await tx.$executeRaw`
    UPDATE schedule_items AS s
    SET status = 'batched', batch_id = ${batch.id}::uuid, end_to_end_id = v.e2e, updated_at = now(),
      -- A re-presentation or a reject fee follows a debit of the mandate: RCUR, never FRST again.
      sequence_type = (CASE WHEN s.original_item_id IS NOT NULL AND v.seq = 'FRST' THEN 'RCUR' ELSE v.seq END)::sequence_type
    FROM unnest(${ids}::uuid[], ${sequences}::text[], ${e2es}::text[]) AS v(id, seq, e2e)
    WHERE s.id = v.id AND s.tenant_id = ${actor.tenantId}::uuid AND s.status = 'planned'`;
  if (updated !== ids.length) throw conflict('Des échéances ont changé pendant la préparation du lot : réessayez');

  // Refused for want of a notice in time, or because the bank would refuse them: recorded with why.
  const leftOut = [...selection.notNotified, ...selection.excluded];
  if (leftOut.length > 0) {
    await tx.sepaBatchExclusion.createMany({
      data: leftOut.map((item) => ({ tenantId: actor.tenantId, batchId: batch.id, scheduleItemId: item.id, reasons: item.reasons })),
    });
  }
  // The file is made once, here, and kept: every download serves these exact bytes.
  const file = await renderBatchFile(tx, actor.tenantId, batch.id);
  await tx.sepaBatchFile.create({
    data: { tenantId: actor.tenantId, batchId: batch.id, xml: file.xml, sha256: createHash('sha256').update(file.xml).digest('hex') },
  });
  await auditAs(tx, actor, {
    action: 'batch.built',
    entityType: 'sepa_batch',
    entityId: batch.id,
    data: { number, collectionDate: input.collectionDate, itemCount: ids.length, totalCents: selection.totalCents, excludedCount: leftOut.length },
  });
  return getBatch({ tx, actor, now }, { batchId: batch.id });
}
