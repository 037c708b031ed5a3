import { withTenant } from '@crm/db';
import { computeSepaCreditorIdCheckDigits, createContractSchedule } from '@crm/domain';
import { newTenant, testAuthDeps } from '@crm/domain/testing';
import { describe, expect, it } from 'vitest';
import { useApiServer } from './api-server.ts';

// The batch file download and the bank returns upload over real HTTP, beside the procedures.
const services = testAuthDeps();
const api = useApiServer(services);
const { call } = api;



/** A creditor organisation with one signed monthly SEPA contract whose schedule exists. */
async function creditor() {
  const { session, tenantId } = await newTenant(services, 'Prélèvements SARL');
  const token = session.accessToken;
  await withTenant(services.db, tenantId, async (tx) => {
    await tx.organisation.update({
      where: { id: tenantId },
      // The schedule is the debtor's notice here (pre-notification per debit: packages/domain/test/payments-pre-notification.test.ts).
      data: { sepaCreditorId: `FR${computeSepaCreditorIdCheckDigits('FR', '654321')}ZZZ654321`, creditorIban: 'FR7630006000011234567890189', sepaScheduleIsNotice: true },
    });
    const client = await tx.client.create({ data: { tenantId, kind: 'person', lastName: 'Durand', displayName: 'Durand', sortName: 'durand', searchText: 'durand', city: 'Lyon' } });
    // Starts on the 1st of next month, due on the 5th: collectable 30 days from now.
    const start = new Date();
    start.setUTCMonth(start.getUTCMonth() + 2, 1);
    const contract = await tx.contract.create({
      data: {
        tenantId, number: 'CT-HTTP-1', clientId: client.id, status: 'signed', billingFrequency: 'monthly', startDate: new Date(start.toISOString().slice(0, 10)),
        durationMonths: 12, paymentMethod: 'sepa_debit', debtorName: 'Jean Durand', debtorIban: 'FR1420041010050500013M02606', signedOn: new Date('2026-01-01'),
        lines: { create: [{ label: 'Abonnement', quantity: 1, unitPriceCents: 2_500, vatRateBasisPoints: 2_000, position: 0 }] },
      },
    });
    await createContractSchedule(tx, tenantId, contract.id);
  });
  const firstDue = (await call(token, 'payments.items', { status: 'planned' }, 'GET')).json.result.data.items[0].dueDate as string;
  let collectionDate = firstDue;
  for (;;) {
    const preview = await call(token, 'batches.preview', { collectionDate }, 'GET');
    if (preview.status === 200 && preview.json.result.data.itemCount > 0) break;
    collectionDate = new Date(Date.parse(`${collectionDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }
  return { token, tenantId, collectionDate };
}

describe('GET /batches/:id/file and POST /bank-returns', () => {
  it('downloads the same pain.008 bytes every time, to the tenant only; imports a return file once', async () => {
    const a = await creditor();
    const b = await creditor();
    const built = await call(a.token, 'batches.build', { collectionDate: a.collectionDate });
    expect(built.status).toBe(200);
    const batch = built.json.result.data;

    const download = (token: string | null, id = batch.id as string) => fetch(`${api.base()}/batches/${id}/file`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const first = await download(a.token);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/xml');
    expect(first.headers.get('content-disposition')).toBe(`attachment; filename="${batch.messageId}.xml"`);
    const xml = await first.text();
    expect(xml).toContain(`<MsgId>${batch.messageId}</MsgId>`);
    expect(await (await download(a.token)).text()).toBe(xml);
    expect((await download(b.token)).status).toBe(404);
    expect((await download(a.token, 'not-a-uuid')).status).toBe(404);
    expect((await download(null)).status).toBe(401);

    expect((await call(a.token, 'batches.markSent', { batchId: batch.id })).status).toBe(200);
    const e2e = batch.items[0].endToEndId as string;
    const csv = `end_to_end_id;status;reason_code\n${e2e};rejected;AM04\n`;
    const upload = (token: string, body: string | Uint8Array) =>
      fetch(`${api.base()}/bank-returns?fileName=retours.csv`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body });

    // B's import of A's returns matches nothing.
    const foreign = await upload(b.token, csv);
    expect(foreign.status).toBe(201);
    expect(await foreign.json()).toMatchObject({ matched: 0, report: { unmatched: [{ endToEndId: e2e }] } });

    const imported = await upload(a.token, csv);
    expect(imported.status).toBe(201);
    const report = (await imported.json()) as any;
    expect(report).toMatchObject({ duplicate: false, kind: 'csv', fileName: 'retours.csv', matched: 1, report: { rejected: 1 } });
    const again = await upload(a.token, csv);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true, id: report.id });
    const rejected = await call(a.token, 'payments.list', { outcome: 'rejected', reasonCode: 'AM04' }, 'GET');
    expect(rejected.json.result.data.items).toHaveLength(1);

    const garbage = await upload(a.token, 'pas un fichier de retours');
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as any).error.fieldErrors.file).toHaveLength(1);
    const tooBig = await upload(a.token, new Uint8Array(10 * 1024 * 1024 + 1));
    expect(tooBig.status).toBe(413);
  });
});
