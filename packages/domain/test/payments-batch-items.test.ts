import { describe, expect, it } from 'vitest';
import {
  buildBatch,
  collectionDateRefusal,
  getBatchFile,
  listScheduleItems,
  markBatchSent,
  proposeCollectionDate,
  REMOVED_BY_HAND,
  removeBatchItem,
  ZBatchDateInput,
  ZListScheduleItemsInput,
} from '../src/index.ts';
import { failure, paymentsTenant } from './payments-fixtures.ts';

// A batch opened to its debits: one taken out before the file goes to the bank, the totals and
// the file following; the debits list by client and collection date; the proposed date in words.

const date = (collectionDate: string) => ZBatchDateInput.parse({ collectionDate });

async function batchOfTwoContracts() {
  const t = await paymentsTenant();
  const first = await t.signedContract();
  await t.deliver(first.event);
  const secondClient = await t.client('company');
  const second = await t.signedContract({ clientId: secondClient.id });
  await t.deliver(second.event);
  t.setNow(new Date('2026-03-20T09:00:00Z'));
  const batch = await t.run((deps) => buildBatch(deps, date('2026-04-07')));
  return { t, first, second, secondClient, batch };
}

describe('a batch opened to its debits', () => {
  it('takes a debit out before sending: totals, file and exclusions follow; never the last one, never once sent', async () => {
    const { t, second, batch } = await batchOfTwoContracts();
    expect(batch).toMatchObject({ itemCount: 4, totalCents: 8_206 });
    expect(batch.items.map((i) => [i.clientName, i.amountCents, i.sequenceType, i.rum])).toEqual(expect.arrayContaining([[expect.any(String), 2_400, 'FRST', expect.stringMatching(/^RUM-2026-/)]]));
    const out = batch.items.find((i) => i.contractId === second.contract.id && i.amountCents === 2_400)!;
    const before = (await t.run((deps) => getBatchFile(deps, { batchId: batch.id }))).xml;
    expect(before).toContain(out.endToEndId!);

    const after = await t.run((deps) => removeBatchItem(deps, { batchId: batch.id, scheduleItemId: out.id }));
    expect(after).toMatchObject({ itemCount: 3, totalCents: 5_806, excludedCount: 1, excluded: [{ id: out.id, reasons: [REMOVED_BY_HAND], status: 'planned' }] });
    expect(after.items.map((i) => i.id)).not.toContain(out.id);
    const xml = (await t.run((deps) => getBatchFile(deps, { batchId: batch.id }))).xml;
    expect(xml).not.toContain(out.endToEndId!);
    expect(xml).toContain('<NbOfTxs>3</NbOfTxs>');
    expect(xml).toContain('<CtrlSum>58.06</CtrlSum>');
    expect(await t.run(({ tx }) => tx.scheduleItem.findUniqueOrThrow({ where: { id: out.id } }))).toMatchObject({ status: 'planned', batchId: null, endToEndId: null, sequenceType: null });

    // Again the same: not in the batch any more. Down to one: that one stays (cancel the batch instead).
    expect((await failure(t.run((deps) => removeBatchItem(deps, { batchId: batch.id, scheduleItemId: out.id })))).code).toBe('NOT_FOUND');
    const [a, b, c] = after.items;
    await t.run((deps) => removeBatchItem(deps, { batchId: batch.id, scheduleItemId: a!.id }));
    await t.run((deps) => removeBatchItem(deps, { batchId: batch.id, scheduleItemId: b!.id }));
    expect(await failure(t.run((deps) => removeBatchItem(deps, { batchId: batch.id, scheduleItemId: c!.id })))).toMatchObject({ code: 'CONFLICT', message: 'C’est le dernier prélèvement du lot : annulez le lot plutôt' });

    // Sent: the bank has it, nothing comes out any more.
    await t.run((deps) => markBatchSent(deps, { batchId: batch.id }));
    expect(await failure(t.run((deps) => removeBatchItem(deps, { batchId: batch.id, scheduleItemId: c!.id })))).toMatchObject({ code: 'CONFLICT' });
  });

  it('lists debits by client and by the collection date actually used', async () => {
    const { t, secondClient, batch } = await batchOfTwoContracts();
    const list = (input: Record<string, unknown>) => t.run((deps) => listScheduleItems(deps, ZListScheduleItemsInput.parse(input)));
    const ofSecond = await list({ clientId: secondClient.id });
    expect(ofSecond.items.length).toBeGreaterThan(0);
    expect(new Set(ofSecond.items.map((i) => i.clientId))).toEqual(new Set([secondClient.id]));
    // Due on 5 April, collected on 7 April: the list says 7 April and filters on it.
    const collected = await list({ from: '2026-04-06', to: '2026-04-07' });
    expect(collected.items.map((i) => i.id).sort()).toEqual(batch.items.map((i) => i.id).sort());
    expect(collected.items.every((i) => i.dueDate === '2026-04-05' && i.collectionDate === '2026-04-07')).toBe(true);
    expect((await list({ to: '2026-04-05' })).items.filter((i) => i.status === 'batched')).toEqual([]);
    expect(ZListScheduleItemsInput.safeParse({ from: '2026-04-07', to: '2026-04-01' }).error?.issues[0]).toMatchObject({ path: ['to'], message: 'La date de fin précède la date de début' });
  });
});

describe('the collection date in words', () => {
  it('proposes the next day the bank can take and says why a date is refused', () => {
    expect(proposeCollectionDate('2026-12-23').date).toBe('2026-12-24');
    const christmas = proposeCollectionDate('2026-12-24');
    expect(christmas.date).toBe('2026-12-28');
    expect(christmas.explanation).toMatch(/^Prochaine date possible : lundi 28 décembre 2026\. La banque doit recevoir le fichier au moins un jour ouvré bancaire avant/);
    expect(christmas.explanation).not.toMatch(/TARGET2|MsgId/);
    expect(collectionDateRefusal('2026-12-25', '2026-12-07')).toBe('Noël, pas de prélèvement ce jour-là ; prochain jour possible : lundi 28 décembre 2026');
    expect(collectionDateRefusal('2027-01-01', '2026-12-07')).toBe('Jour de l’an, pas de prélèvement ce jour-là ; prochain jour possible : lundi 4 janvier 2027');
    expect(collectionDateRefusal('2026-12-08', '2026-12-08')).toBe('Trop tard pour cette date : la banque doit recevoir le fichier un jour ouvré bancaire avant ; prochain jour possible : mercredi 9 décembre 2026');
    expect(collectionDateRefusal('2026-12-09', '2026-12-08')).toBeNull();
  });
});
