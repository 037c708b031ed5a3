import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  contractPdf,
  fromSnapshotJson,
  renderContractPdf,
  deleteDocument,
  downloadDocument,
  getContract,
  listDocuments,
  LocalDiskStorage,
  sha256Hex,
  verifySignedContract,
  ZListDocumentsInput,
  type DocumentStorage,
  type DomainError,
} from '../src/index.ts';
import { contractTenant } from './contract-fixtures.ts';
import { pdfText } from './pdf-text.ts';
import { Prisma } from '@crm/db';

const storage = LocalDiskStorage.temporary('crm-signed-contract-test');
afterAll(() => rm(storage.root, { recursive: true, force: true }));

const SIGNED_AT = new Date('2026-03-10T14:00:00Z');

/** The contract fixtures, signing at SIGNED_AT, and the contract's and its documents' rows. */
async function tenant(name = 'Société Test') {
  const t = await contractTenant(storage, name);
  const sign = (contractId: string, options: { storage?: DocumentStorage; storeDocument?: boolean } = {}) => t.sign(contractId, { now: SIGNED_AT, ...options });
  const contractRow = (contractId: string) => t.run(({ tx }) => tx.contract.findFirstOrThrow({ where: { id: contractId } }));
  const documentRows = (contractId: string) => t.run(({ tx }) => tx.document.findMany({ where: { contractId } }));
  return { ...t, sign, contractRow, documentRows };
}

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a failure');
};

async function readAll(body: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

describe('the signed contract PDF', () => {
  it('is stored at signature, the signed copy of the document whose sha256 was recorded, as an undeletable document of the contract and its client', async () => {
    const t = await tenant();
    const sent = await t.sentContract();
    await t.sign(sent.id);
    const contract = await t.contractRow(sent.id);
    const [document, ...others] = await t.documentRows(sent.id);
    expect(others).toEqual([]);
    expect(document).toMatchObject({
      kind: 'signed_contract',
      clientId: sent.client.id,
      contractId: sent.id,
      mimeType: 'application/pdf',
      fileName: `contrat-${sent.number}-signe.pdf`,
      createdBy: t.owner.userId,
    });
    expect(document!.createdAt.toISOString()).toBe(SIGNED_AT.toISOString());

    // The stored bytes are the signed copy: the document presented (whose hash the signature
    // recorded, rendered again from the snapshot) with its signature block filled.
    const file = await t.run((deps) => downloadDocument(deps, { documentId: document!.id }));
    const bytes = await readAll(file.body);
    expect(bytes.length).toBe(document!.sizeBytes);
    expect(sha256Hex(bytes)).toBe(document!.sha256);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const snapshot = fromSnapshotJson(contract.signatureSnapshot)!;
    expect(sha256Hex(await renderContractPdf(snapshot.pdf))).toBe(contract.signedDocumentSha256);
    expect(Buffer.from(await renderContractPdf(snapshot.pdf, snapshot.signature)).equals(bytes)).toBe(true);
    const text = await pdfText(bytes);
    expect(text).toContain('Signé électroniquement par Jean Dupont');
    expect(text).toContain(`, à Lyon, en présence du conseiller.`);
    expect(text).toContain(contract.signedDocumentSha256!);

    // Listed on the contract's page and on the client's, never deletable.
    const onContract = await t.run((deps) => listDocuments(deps, ZListDocumentsInput.parse({ contractId: sent.id })));
    const onClient = await t.run((deps) => listDocuments(deps, ZListDocumentsInput.parse({ clientId: sent.client.id })));
    expect(onContract.map((d) => [d.id, d.kind, d.deletable])).toEqual([[document!.id, 'signed_contract', false]]);
    expect(onClient.map((d) => [d.id, d.contractNumber])).toEqual([[document!.id, sent.number]]);
    expect(await failure(t.run((deps) => deleteDocument(deps, { documentId: document!.id })))).toMatchObject({ code: 'CONFLICT' });
    // The audit trail names the stored document beside the signature.
    const audit = await t.run(({ tx }) => tx.auditLog.findMany({ where: { action: { in: ['contract.sign', 'document.stored'] } }, orderBy: { action: 'asc' } }));
    expect(audit.map((a) => a.action)).toEqual(['contract.sign', 'document.stored']);
  });

  it('is what the contract PDF download serves once signed, checked against the signed hash', async () => {
    const t = await tenant();
    const sent = await t.sentContract();
    const beforeSigning = await t.run((deps) => contractPdf(deps, { contractId: sent.id }));
    expect(beforeSigning.fileName).toBe(`contrat-${sent.number}.pdf`);
    await t.sign(sent.id);
    const { signedDocumentSha256 } = await t.contractRow(sent.id);
    const [document] = await t.documentRows(sent.id);

    const signed = await t.run((deps) => contractPdf(deps, { contractId: sent.id }));
    expect(signed.fileName).toBe(`contrat-${sent.number}-signe.pdf`);
    expect(sha256Hex(signed.bytes)).toBe(document!.sha256);
    // What was presented before signing is the document whose hash the signature recorded.
    expect(sha256Hex(beforeSigning.bytes)).toBe(signedDocumentSha256);

    // Data shown in the contract changes behind our back: the signed document stays as signed
    // (frozen in the snapshot), the verification says the data moved on, and the download still
    // serves the stored signed copy, not a regenerated document.
    await t.run(({ tx }) => tx.contractLine.updateMany({ where: { contractId: sent.id }, data: { unitPriceCents: 1 } }));
    expect(await t.run((deps) => verifySignedContract(deps, { contractId: sent.id }))).toMatchObject({ valid: true, signedDocumentSha256, dataChangedSinceSignature: true });
    const afterChange = await t.run((deps) => contractPdf(deps, { contractId: sent.id }));
    expect(sha256Hex(afterChange.bytes)).toBe(document!.sha256);

    // Stored bytes that no longer match the signed hash are never served as the signed contract.
    const file = path.join(storage.root, ...document!.storageKey.split('/'));
    const original = await readFile(file);
    await writeFile(file, Buffer.concat([original, Buffer.from('\n% altered')]));
    await expect(t.run((deps) => contractPdf(deps, { contractId: sent.id }))).rejects.toThrow(/do not match the signed sha256/);
    await rm(file);
    await expect(t.run((deps) => contractPdf(deps, { contractId: sent.id }))).rejects.toThrow(/no stored bytes/);
    await writeFile(file, original);
    expect(sha256Hex((await t.run((deps) => contractPdf(deps, { contractId: sent.id }))).bytes)).toBe(document!.sha256);
  });

  it('is rendered from the data frozen at signature: what changed before the worker ran does not touch it', async () => {
    const t = await tenant();
    const sent = await t.sentContract();
    await t.sign(sent.id, { storeDocument: false });
    const { signedDocumentSha256 } = await t.contractRow(sent.id);
    // The organisation, the client and a line change between the signature and the worker.
    await t.run(async ({ tx }) => {
      await tx.organisation.updateMany({ data: { name: 'Autre nom', addressLine1: '1 rue Neuve' } });
      await tx.client.updateMany({ data: { city: 'Marseille' } });
      await tx.contractLine.updateMany({ where: { contractId: sent.id }, data: { label: 'Autre libellé' } });
    });
    expect(await t.storeSigned(sent.id, { now: SIGNED_AT })).toBe('handled');
    const [document] = await t.documentRows(sent.id);
    const text = await pdfText(await readAll((await t.run((deps) => downloadDocument(deps, { documentId: document!.id }))).body));
    expect(text).toContain(signedDocumentSha256!);
    expect(text).not.toContain('Autre libellé');
    expect(text).not.toContain('1 rue Neuve');
  });

  it('a contract signed before signed PDFs were stored is generated again, as before', async () => {
    const t = await tenant();
    const sent = await t.sentContract();
    await t.sign(sent.id);
    // The state of a contract signed by an earlier version: the signature, no stored document, no snapshot.
    await t.run(async ({ tx }) => {
      await tx.document.deleteMany({ where: { contractId: sent.id } });
      await tx.contract.updateMany({ where: { id: sent.id }, data: { signatureSnapshot: Prisma.DbNull } });
    });
    const { signedDocumentSha256 } = await t.contractRow(sent.id);
    const pdf = await t.run((deps) => contractPdf(deps, { contractId: sent.id }));
    expect(pdf.fileName).toBe(`contrat-${sent.number}.pdf`);
    expect(sha256Hex(pdf.bytes)).toBe(signedDocumentSha256);
  });

  it('is stored by the documents consumer once: a storage failure rolls its run back and leaves no file, a redelivery stores nothing more', async () => {
    const t = await tenant();
    const sent = await t.sentContract();
    // Signing no longer writes the bytes: the API's transaction never touches the storage.
    await t.sign(sent.id, { storeDocument: false });
    expect((await t.run((deps) => getContract(deps, { contractId: sent.id }))).status).toBe('signed');
    expect(await t.documentRows(sent.id)).toEqual([]);

    const refusing: DocumentStorage = {
      put: () => Promise.reject(new Error('disk full')),
      get: (key) => storage.get(key),
      delete: (key) => storage.delete(key),
    };
    await expect(t.storeSigned(sent.id, { storage: refusing })).rejects.toThrow('disk full');
    expect(await t.documentRows(sent.id)).toEqual([]);

    // The row is refused after the bytes were written (the transaction is broken while the file
    // is written): the file is removed with the rollback.
    const written: string[] = [];
    const removed: string[] = [];
    const breaking: DocumentStorage = {
      put: async (key, bytes) => {
        written.push(key);
        await storage.put(key, bytes);
        throw new Error('connection lost after the write');
      },
      get: (key) => storage.get(key),
      delete: async (key) => {
        removed.push(key);
        await storage.delete(key);
      },
    };
    await expect(t.storeSigned(sent.id, { storage: breaking })).rejects.toThrow('connection lost');
    expect(written).toHaveLength(1);
    expect(removed).toEqual(written);
    await expect(storage.get(written[0]!)).rejects.toThrow(/no stored bytes/);
    expect(await t.documentRows(sent.id)).toEqual([]);

    // Tried again: one document; delivered again: still one.
    expect(await t.storeSigned(sent.id, { now: SIGNED_AT })).toBe('handled');
    expect(await t.storeSigned(sent.id, { now: SIGNED_AT })).toBe('duplicate');
    expect(await t.documentRows(sent.id)).toHaveLength(1);
    expect(await t.run(({ tx }) => tx.outboxEvent.count({ where: { type: 'contract.signed' } }))).toBe(1);
  });

  it("another tenant neither downloads nor lists a signed contract's PDF", async () => {
    const a = await tenant('Société A');
    const b = await tenant('Société B');
    const sent = await a.sentContract();
    await a.sign(sent.id);
    const [document] = await a.documentRows(sent.id);
    expect(await failure(b.run((deps) => contractPdf(deps, { contractId: sent.id })))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(b.run((deps) => downloadDocument(deps, { documentId: document!.id })))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(b.run((deps) => listDocuments(deps, ZListDocumentsInput.parse({ contractId: sent.id }))))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await b.run(({ tx }) => tx.document.count())).toBe(0);
    // B's own signature stores B's PDF under B's tenant, beside A's.
    const bSent = await b.sentContract();
    await b.sign(bSent.id);
    const [bDocument] = await b.documentRows(bSent.id);
    expect(bDocument!.storageKey.startsWith(`${b.owner.tenantId}/`)).toBe(true);
    expect(document!.storageKey.startsWith(`${a.owner.tenantId}/`)).toBe(true);
  });
});
