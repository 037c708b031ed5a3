import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { withTenant } from '@crm/db';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createClient,
  deleteDocument,
  downloadDocument,
  listDocuments,
  LocalDiskStorage,
  readDocumentContent,
  storeGeneratedDocument,
  uploadDocument,
  ZListDocumentsInput,
  ZUploadDocumentInput,
  type DocumentDeps,
  type DomainError,
} from '../src/index.ts';
import { newTenant, testAuthDeps } from './harness.ts';

const storage = LocalDiskStorage.temporary('crm-documents-test');
afterAll(() => rm(storage.root, { recursive: true, force: true }));

const MAX = 64 * 1024;
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00', 'latin1')]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(18)]);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function tenant() {
  const auth = testAuthDeps();
  const owner = await newTenant(auth);
  const member = await withTenant(auth.db, owner.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: owner.userId } }));
  const run = <R>(f: (deps: DocumentDeps) => Promise<R>, actor: { userId: string; memberId: string; role: 'owner' | 'sales' } = { userId: owner.userId, memberId: member.id, role: 'owner' }) =>
    withTenant(
      auth.db,
      owner.tenantId,
      (tx) => f({ tx, now: new Date(), actor: { ...actor, tenantId: owner.tenantId }, documents: { storage, maxBytes: MAX } }),
      { userId: actor.userId },
    );
  const client = async (companyName = 'Boulangerie Martin') => (await run((deps) => createClient(deps, { kind: 'company', companyName, ignoreDuplicates: true }))).client!;
  const contract = (clientId: string, number = 'C-0001') =>
    run(({ tx }) =>
      tx.contract.create({
        data: { tenantId: owner.tenantId, number, clientId, billingFrequency: 'monthly', startDate: new Date('2026-01-01'), durationMonths: 12, paymentMethod: 'sepa_debit' },
      }),
    );
  const upload = async (input: Record<string, unknown>, bytes: Uint8Array, as?: Parameters<typeof run>[1]) => {
    const content = await readDocumentContent(Readable.from([bytes.subarray(0, 7), bytes.subarray(7)]), MAX);
    return run((deps) => uploadDocument(deps, { ...ZUploadDocumentInput.parse(input), content }), as);
  };
  const list = (input: Record<string, unknown>) => run((deps) => listDocuments(deps, ZListDocumentsInput.parse(input)));
  const download = async (documentId: string) => {
    const file = await run((deps) => downloadDocument(deps, { documentId }));
    const chunks: Buffer[] = [];
    for await (const chunk of file.body) chunks.push(chunk as Buffer);
    return { ...file, bytes: Buffer.concat(chunks) };
  };
  return { auth, owner, run, client, contract, upload, list, download };
}

const failure = async (promise: Promise<unknown>) => {
  const error = (await promise.then(() => null, (e: unknown) => e)) as DomainError | null;
  expect(error, 'expected a failure').not.toBeNull();
  return { code: error!.code, message: error!.message, fieldErrors: error!.fieldErrors };
};

describe('documents', () => {
  it('stores an upload under a key of ids, lists it and gives the same bytes back with their sha256', async () => {
    const t = await tenant();
    const c = await t.client();
    // Control characters are refused (the input rules); path separators are only replaced.
    expect(ZUploadDocumentInput.safeParse({ clientId: c.id, kind: 'identity', fileName: 'Carte\r\n.pdf' }).error?.issues[0]).toMatchObject({ path: ['fileName'] });
    const uploaded = await t.upload({ clientId: c.id, kind: 'identity', fileName: '../../etc/Carte d’identité  .pdf' }, PDF);
    expect(uploaded).toMatchObject({
      kind: 'identity',
      fileName: '.. .. etc Carte d’identité .pdf',
      mimeType: 'application/pdf',
      sizeBytes: PDF.length,
      sha256: sha256(PDF),
      clientId: c.id,
      contractId: null,
      createdByName: 'Owner Test',
      deletable: true,
    });
    const row = await t.run(({ tx }) => tx.document.findFirstOrThrow({ where: { id: uploaded.id } }));
    const now = new Date();
    expect(row.storageKey).toBe(`${t.owner.tenantId}/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${uploaded.id}`);
    // On disk under the key, nothing else (no temporary file left), never under the user's name.
    expect(await readFile(path.join(storage.root, ...row.storageKey.split('/')))).toEqual(PDF);
    expect(await readdir(path.join(storage.root, ...row.storageKey.split('/').slice(0, 3)))).toEqual([uploaded.id]);
    const file = await t.download(uploaded.id);
    expect(file).toMatchObject({ fileName: '.. .. etc Carte d’identité .pdf', mimeType: 'application/pdf', sizeBytes: PDF.length, sha256: sha256(PDF) });
    expect(sha256(file.bytes)).toBe(uploaded.sha256);
    expect(await t.list({ clientId: c.id })).toEqual([uploaded]);
    const audit = await t.run(({ tx }) => tx.auditLog.findFirstOrThrow({ where: { entityId: uploaded.id } }));
    expect(audit).toMatchObject({ action: 'document.stored', data: { sha256: sha256(PDF), kind: 'identity' } });
  });

  it('takes the type from the content, not the name, and refuses executables, HTML, polyglots, empty and oversized files in French', async () => {
    const t = await tenant();
    const c = await t.client();
    const png = await t.upload({ clientId: c.id, kind: 'bank_details', fileName: 'rib.pdf' }, PNG);
    expect(png).toMatchObject({ mimeType: 'image/png', fileName: 'rib.pdf' });
    expect((await t.download(png.id)).fileName).toBe('rib.png');
    expect((await t.upload({ clientId: c.id, kind: 'other', fileName: 'photo' }, JPEG)).mimeType).toBe('image/jpeg');
    expect((await t.upload({ clientId: c.id, kind: 'other', fileName: 'photo.webp' }, WEBP)).mimeType).toBe('image/webp');

    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(120), Buffer.from('This program cannot be run in DOS mode.')]);
    expect(await failure(t.upload({ clientId: c.id, kind: 'identity', fileName: 'facture.pdf' }, exe))).toEqual({
      code: 'BAD_REQUEST',
      message: 'Fichier exécutable refusé : seuls les PDF et les images PNG, JPEG ou WebP sont acceptés',
      fieldErrors: { file: ['Fichier exécutable refusé : seuls les PDF et les images PNG, JPEG ou WebP sont acceptés'] },
    });
    const html = 'Contenu HTML ou script refusé : seuls les PDF et les images PNG, JPEG ou WebP sont acceptés';
    expect((await failure(t.upload({ clientId: c.id, kind: 'identity', fileName: 'cni.pdf' }, Buffer.from('\n<!DOCTYPE html><p>bonjour</p>')))).message).toBe(html);
    // A valid PDF header with a page behind it, which a sniffing browser would render.
    const polyglot = Buffer.concat([Buffer.from('%PDF-1.4\n%'), Buffer.from('<html><script>alert(document.cookie)</script></html>\n'), PDF]);
    expect((await failure(t.upload({ clientId: c.id, kind: 'identity', fileName: 'cni.pdf' }, polyglot))).message).toBe(html);
    expect((await failure(t.upload({ clientId: c.id, kind: 'identity', fileName: 'a.pdf' }, Buffer.from('PK\x03\x04zip', 'latin1')))).message).toBe(
      'Type de fichier non accepté : seuls les PDF et les images PNG, JPEG ou WebP sont acceptés',
    );
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(16)]);
    expect((await failure(t.upload({ clientId: c.id, kind: 'identity', fileName: 'photo.jpg' }, heic))).message).toBe('Format HEIC non accepté : enregistrez la photo en JPEG ou en PNG');
    expect(await failure(t.upload({ clientId: c.id, kind: 'identity', fileName: 'vide.pdf' }, Buffer.alloc(0)))).toEqual({
      code: 'BAD_REQUEST',
      message: 'Fichier vide',
      fieldErrors: { file: ['Fichier vide'] },
    });
    // Past the limit while reading: the rest is not read.
    expect(await failure(readDocumentContent(Readable.from([PDF, Buffer.alloc(MAX)]), MAX))).toMatchObject({ code: 'BAD_REQUEST', message: 'Fichier trop volumineux : 0,1 Mo au plus' });
    expect(await failure(t.run((deps) => storeGeneratedDocument({ ...deps, documents: { storage, maxBytes: 10 } }, { clientId: c.id, kind: 'other', fileName: 'x.pdf', bytes: PDF })))).toMatchObject({
      message: 'Fichier trop volumineux : 0 Mo au plus',
    });
    // Nothing refused was stored, on disk or in the table.
    expect((await t.list({ clientId: c.id })).map((d) => d.mimeType).sort()).toEqual(['image/jpeg', 'image/png', 'image/webp']);
    const files = await readdir(path.join(storage.root, t.owner.tenantId), { recursive: true, withFileTypes: true });
    expect(files.filter((f) => f.isFile())).toHaveLength(3);
  });

  it("lists a client's own documents and its contracts', a contract's alone; generated PDFs are stored the same way", async () => {
    const t = await tenant();
    const c = await t.client();
    const other = await t.client('Autre client');
    const k = await t.contract(c.id);
    const own = await t.upload({ clientId: c.id, kind: 'identity', fileName: 'cni.pdf' }, PDF);
    const signed = await t.run((deps) => storeGeneratedDocument(deps, { contractId: k.id, kind: 'signed_contract', fileName: 'contrat signé.pdf', bytes: PDF }));
    const generated = await t.run((deps) => storeGeneratedDocument(deps, { contractId: k.id, kind: 'contract_pdf', fileName: 'Contrat C-0001.pdf', bytes: PDF }));
    expect(generated).toMatchObject({ kind: 'contract_pdf', clientId: c.id, contractId: k.id, contractNumber: 'C-0001', sha256: sha256(PDF), mimeType: 'application/pdf' });
    await t.upload({ clientId: other.id, kind: 'other', fileName: 'autre.png' }, PNG);
    expect((await t.list({ clientId: c.id })).map((d) => d.id)).toEqual([generated.id, signed.id, own.id]);
    expect((await t.list({ contractId: k.id })).map((d) => d.id)).toEqual([generated.id, signed.id]);
    expect((await t.list({ clientId: c.id, contractId: k.id })).map((d) => d.id)).toEqual([generated.id, signed.id]);
    expect(await failure(t.list({ clientId: other.id, contractId: k.id }))).toMatchObject({ code: 'NOT_FOUND', message: 'Contrat introuvable' });
  });

  it('deletes a document and its bytes, but never a signed contract', async () => {
    const t = await tenant();
    const c = await t.client();
    const k = await t.contract(c.id);
    const scan = await t.upload({ clientId: c.id, kind: 'bank_details', fileName: 'rib.jpg' }, JPEG);
    const signed = await t.run((deps) => storeGeneratedDocument(deps, { contractId: k.id, kind: 'signed_contract', fileName: 'contrat.pdf', bytes: PDF }));
    expect(signed.deletable).toBe(false);
    const key = (await t.run(({ tx }) => tx.document.findFirstOrThrow({ where: { id: scan.id } }))).storageKey;
    expect(await t.run((deps) => deleteDocument(deps, { documentId: scan.id }))).toEqual({ id: scan.id });
    await expect(storage.get(key)).rejects.toThrow('no stored bytes');
    expect(await failure(t.run((deps) => deleteDocument(deps, { documentId: signed.id })))).toMatchObject({
      code: 'CONFLICT',
      message: 'Un contrat signé est une preuve : il ne peut pas être supprimé',
    });
    expect((await t.list({ clientId: c.id })).map((d) => d.id)).toEqual([signed.id]);
    expect(sha256((await t.download(signed.id)).bytes)).toBe(sha256(PDF));
  });

  it('never takes an upload of a kind only the application makes: the signed contract, contract and mandate PDFs', async () => {
    const t = await tenant();
    const c = await t.client();
    const k = await t.contract(c.id);
    for (const kind of ['signed_contract', 'contract_pdf', 'mandate_pdf']) {
      // Refused by the upload's schema, and by the domain for a caller that skips the schema.
      expect(ZUploadDocumentInput.safeParse({ contractId: k.id, kind, fileName: 'contrat.pdf' }).success).toBe(false);
      const content = await readDocumentContent(Readable.from([PDF]), MAX);
      const input = { contractId: k.id, kind: kind as 'other', fileName: 'contrat.pdf', content };
      expect(await failure(t.run((deps) => uploadDocument(deps, input)))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { kind: [expect.any(String)] } });
    }
    expect(await t.list({ contractId: k.id })).toEqual([]);
  });

  it('keeps bytes and rows together when the transaction fails after the file work', async () => {
    const t = await tenant();
    const c = await t.client();
    const files = async () => (await readdir(path.join(storage.root, t.owner.tenantId), { recursive: true, withFileTypes: true }).catch(() => [])).filter((f) => f.isFile()).length;
    const later = new Error('a later step of the same transaction failed');
    // Stored, then the transaction fails: no row, and no file either.
    await expect(
      t.run(async (deps) => {
        await storeGeneratedDocument(deps, { clientId: c.id, kind: 'contract_pdf', fileName: 'Contrat.pdf', bytes: PDF });
        throw later;
      }),
    ).rejects.toBe(later);
    expect(await t.list({ clientId: c.id })).toEqual([]);
    expect(await files()).toBe(0);
    // Deleted, then the transaction fails: the row stays, and so do its bytes.
    const scan = await t.upload({ clientId: c.id, kind: 'identity', fileName: 'cni.png' }, PNG);
    await expect(
      t.run(async (deps) => {
        await deleteDocument(deps, { documentId: scan.id });
        throw later;
      }),
    ).rejects.toBe(later);
    expect((await t.list({ clientId: c.id })).map((d) => d.id)).toEqual([scan.id]);
    expect(sha256((await t.download(scan.id)).bytes)).toBe(sha256(PNG));
    expect(await files()).toBe(1);
  });

  it("answers NOT_FOUND for another organisation's client, contract and document, and for a client outside a sales member's scope", async () => {
    const a = await tenant();
    const b = await tenant();
    const bClient = await b.client('Client de B');
    const bContract = await b.contract(bClient.id);
    const bDocument = await b.upload({ clientId: bClient.id, kind: 'other', fileName: 'b.pdf' }, PDF);
    const notFound = { code: 'NOT_FOUND' };
    expect(await failure(a.upload({ clientId: bClient.id, kind: 'identity', fileName: 'x.pdf' }, PDF))).toMatchObject({ ...notFound, message: 'Client introuvable' });
    expect(await failure(a.upload({ contractId: bContract.id, kind: 'bank_details', fileName: 'x.pdf' }, PDF))).toMatchObject({ ...notFound, message: 'Contrat introuvable' });
    expect(await failure(a.list({ clientId: bClient.id }))).toMatchObject(notFound);
    expect(await failure(a.list({ contractId: bContract.id }))).toMatchObject(notFound);
    expect(await failure(a.download(bDocument.id))).toMatchObject({ ...notFound, message: 'Document introuvable' });
    expect(await failure(a.run((deps) => deleteDocument(deps, { documentId: bDocument.id })))).toMatchObject(notFound);
    expect(await failure(a.run((deps) => storeGeneratedDocument(deps, { contractId: bContract.id, kind: 'contract_pdf', fileName: 'x.pdf', bytes: PDF })))).toMatchObject(notFound);
    expect((await b.list({ clientId: bClient.id })).map((d) => d.id)).toEqual([bDocument.id]);

    // A sales member sees the documents of their rep's clients only.
    const salesUser = (await newTenant(a.auth, 'Ailleurs')).userId;
    const salesMember = await a.run(({ tx }) => tx.membership.create({ data: { tenantId: a.owner.tenantId, userId: salesUser, role: 'sales' } }));
    const { mine, theirs } = await a.run(async ({ tx }) => {
      const myRep = await tx.salesRep.create({ data: { tenantId: a.owner.tenantId, userId: salesUser, code: 'R1', firstName: 'Sam', lastName: 'Vendeur' } });
      const otherRep = await tx.salesRep.create({ data: { tenantId: a.owner.tenantId, code: 'R2', firstName: 'Autre', lastName: 'Vendeur' } });
      const row = (name: string, salesRepId: string) =>
        tx.client.create({ data: { tenantId: a.owner.tenantId, kind: 'company', companyName: name, displayName: name, sortName: name.toLowerCase(), searchText: name.toLowerCase(), salesRepId } });
      return { mine: await row('Client de Sam', myRep.id), theirs: await row('Client des autres', otherRep.id) };
    });
    const theirContract = await a.contract(theirs.id, 'C-0002');
    const theirDocument = await a.upload({ contractId: theirContract.id, kind: 'other', fileName: 'x.pdf' }, PDF);
    const asSales = { userId: salesUser, memberId: salesMember.id, role: 'sales' as const };
    expect((await a.upload({ clientId: mine.id, kind: 'identity', fileName: 'cni.png' }, PNG, asSales)).clientId).toBe(mine.id);
    for (const attempt of [
      () => a.upload({ clientId: theirs.id, kind: 'identity', fileName: 'x.pdf' }, PDF, asSales),
      () => a.upload({ contractId: theirContract.id, kind: 'identity', fileName: 'x.pdf' }, PDF, asSales),
      () => a.run((deps) => listDocuments(deps, { contractId: theirContract.id }), asSales),
      () => a.run((deps) => downloadDocument(deps, { documentId: theirDocument.id }), asSales),
      () => a.run((deps) => deleteDocument(deps, { documentId: theirDocument.id }), asSales),
    ]) {
      expect(await failure(attempt())).toMatchObject(notFound);
    }
  });
});
