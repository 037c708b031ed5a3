import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { withSystem, withTenant } from '@crm/db';
import { DEFAULT_MAX_DOCUMENT_BYTES, LocalDiskStorage, storeSignedContract } from '@crm/domain';
import { testAuthDeps } from '@crm/domain/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { useApiServer } from './api-server.ts';

// Signing over tRPC stores the signed PDF; GET /contracts/:id/pdf then serves those bytes.
const storage = LocalDiskStorage.temporary('crm-api-contract-pdfs');
const services = { ...testAuthDeps(), documents: { storage, maxBytes: DEFAULT_MAX_DOCUMENT_BYTES } };
const api = useApiServer(services);
const call = api.data;
const signUp = async () => (await api.signUp('Contrats')).token;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

afterAll(() => rm(storage.root, { recursive: true, force: true }));



async function get(token: string, path: string) {
  const response = await fetch(`${api.base()}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('GET /contracts/:id/pdf', () => {
  it('serves the PDF stored at signature, listed with the documents, to its tenant only', async () => {
    const token = await signUp();
    const { client } = await call(token, 'clients.create', { kind: 'person', firstName: 'Jean', lastName: 'Dupont', ignoreDuplicates: true });
    const product = await call(token, 'products.create', { code: 'ABO', name: 'Abonnement', description: '', priceCents: 4_990, vatRateCode: 'NORMAL', billingFrequency: 'monthly', effectiveFrom: '2026-01-01' });
    const contract = await call(token, 'contracts.create', {
      clientId: client.id,
      lines: [{ productId: product.id, quantity: 1 }],
      startDate: '2026-03-01',
      durationMonths: 12,
      paymentMethod: 'sepa_debit',
      debtorIban: 'FR76 3000 6000 0112 3456 7890 189',
    });
    await call(token, 'contracts.send', { contractId: contract.id });
    const unsigned = await get(token, `/contracts/${contract.id}/pdf`);
    expect(unsigned.status).toBe(200);
    expect(unsigned.headers.get('content-disposition')).toBe(`attachment; filename="contrat-${contract.number}.pdf"`);

    const signed = await call(token, 'contracts.sign', { contractId: contract.id, signerName: 'Jean Dupont', consent: true, signedPlace: 'Lyon' });
    // The worker's documents consumer keeps the signed PDF (on contract.signed), in the same storage.
    const tenantId = (await withSystem(services.db, (tx) => tx.contract.findFirstOrThrow({ where: { id: contract.id }, select: { tenantId: true } }))).tenantId;
    await withTenant(services.db, tenantId, (tx) => storeSignedContract(tx, tenantId, contract.id, { now: new Date(), storage, by: 'system:documents' }));
    const documents = await call(token, 'documents.list', { contractId: contract.id }, 'GET');
    expect(documents).toHaveLength(1);
    // The signed copy: the document presented (whose sha256 the signature recorded) with its signature block filled.
    expect(documents[0]).toMatchObject({ kind: 'signed_contract', deletable: false, fileName: `contrat-${contract.number}-signe.pdf` });
    expect(sha256(unsigned.bytes)).toBe(signed.signedDocumentSha256);
    expect(await call(token, 'documents.list', { clientId: client.id }, 'GET')).toHaveLength(1);

    const pdf = await get(token, `/contracts/${contract.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="contrat-${contract.number}-signe.pdf"`);
    expect(sha256(pdf.bytes)).toBe(documents[0].sha256);
    const download = await get(token, `/documents/${documents[0].id}/download`);
    expect(download.bytes.equals(pdf.bytes)).toBe(true);

    const other = await signUp();
    expect((await get(other, `/contracts/${contract.id}/pdf`)).status).toBe(404);
    expect((await get(other, `/documents/${documents[0].id}/download`)).status).toBe(404);
  });
});
