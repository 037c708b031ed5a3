import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { DocumentFileMissingError, LocalDiskStorage } from '@crm/domain';
import { testAuthDeps } from '@crm/domain/testing';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { useApiServer } from './api-server.ts';
import { s3StorageFromEnv } from '@crm/domain/s3-storage';
import { contentDisposition } from '../src/documents.ts';
import { parseEnv } from '../src/env.ts';

// Upload and download over real HTTP, with the local-disk storage in a temporary directory.
const storage = LocalDiskStorage.temporary('crm-api-documents');
const services = { ...testAuthDeps(), documents: { storage, maxBytes: 64 * 1024 } };
const api = useApiServer(services);
const { call } = api;
const signUp = () => api.signUp('Documents');
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(24)]);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

afterAll(() => rm(storage.root, { recursive: true, force: true }));



async function upload(token: string | null, query: string, body: Uint8Array, fileName = 'pièce d’identité.pdf', contentType = 'application/octet-stream') {
  const response = await fetch(`${api.base()}/documents?${query}`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-file-name': encodeURIComponent(fileName), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: response.status, json: (await response.json()) as any };
}

const download = (token: string | null, id: string) => fetch(`${api.base()}/documents/${id}/download`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('documents over HTTP', () => {
  it('uploads raw bytes against a client and gives them back to its organisation only', async () => {
    const a = await signUp();
    const client = (await call(a.token, 'clients.create', { kind: 'company', companyName: 'Boulangerie Martin' })).json.result.data.client;
    const uploaded = await upload(a.token, `clientId=${client.id}&kind=identity`, PDF);
    expect(uploaded.status).toBe(201);
    expect(uploaded.json).toMatchObject({ kind: 'identity', fileName: 'pièce d’identité.pdf', mimeType: 'application/pdf', sizeBytes: PDF.length, sha256: sha256(PDF), clientId: client.id });

    const response = await download(a.token, uploaded.json.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="piece didentite.pdf"; filename*=UTF-8''pi%C3%A8ce%20d%E2%80%99identit%C3%A9.pdf`);
    expect(response.headers.get('repr-digest')).toBe(`sha-256=:${Buffer.from(sha256(PDF), 'hex').toString('base64')}:`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PDF);
    const listed = await call(a.token, 'documents.list', { clientId: client.id }, 'GET');
    expect(listed.json.result.data.map((d: { id: string }) => d.id)).toEqual([uploaded.json.id]);

    // A PNG named .pdf is a PNG, and comes back as one.
    const png = await upload(a.token, `clientId=${client.id}&kind=bank_details`, PNG, 'rib.pdf');
    expect(png.json).toMatchObject({ mimeType: 'image/png', fileName: 'rib.pdf' });
    const pngResponse = await download(a.token, png.json.id);
    expect(pngResponse.headers.get('content-type')).toBe('image/png');
    expect(pngResponse.headers.get('content-disposition')).toContain(`filename="rib.png"`);

    // Another organisation's member: 404 for the download, the list and the delete; the file stays.
    const b = await signUp();
    const foreign = await download(b.token, uploaded.json.id);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Document introuvable' } });
    expect((await download(b.token, 'not-a-uuid')).status).toBe(404);
    expect((await upload(b.token, `clientId=${client.id}&kind=identity`, PDF)).status).toBe(404);
    expect((await call(b.token, 'documents.delete', { documentId: uploaded.json.id })).json.error.data.code).toBe('NOT_FOUND');
    expect((await download(null, uploaded.json.id)).status).toBe(401);
    expect((await download('forged.token.value', uploaded.json.id)).status).toBe(401);

    // Deleted by its organisation: gone from the list, the disk and the download.
    expect((await call(a.token, 'documents.delete', { documentId: png.json.id })).json.result.data).toEqual({ id: png.json.id });
    expect((await download(a.token, png.json.id)).status).toBe(404);
    expect((await download(a.token, uploaded.json.id)).status).toBe(200);
  });

  it('refuses without a token (401), bad metadata (400 with field errors), wrong content (400 in French), oversized (413) and non-raw bodies (415)', async () => {
    const a = await signUp();
    const client = (await call(a.token, 'clients.create', { kind: 'company', companyName: 'Client' })).json.result.data.client;
    expect((await upload(null, `clientId=${client.id}&kind=identity`, PDF)).status).toBe(401);
    expect(await upload(a.token, `clientId=${client.id}&kind=passport`, PDF)).toEqual({
      status: 400,
      json: { error: { code: 'BAD_REQUEST', message: 'Envoi invalide', fieldErrors: { kind: ['Nature de document inconnue'] } } },
    });
    expect((await upload(a.token, 'kind=identity', PDF)).json.error.fieldErrors).toEqual({ clientId: ['Client ou contrat requis'] });
    expect((await upload(a.token, `clientId=${client.id}&kind=identity`, PDF, ' ')).json.error.fieldErrors).toEqual({ fileName: ['Nom de fichier requis'] });
    const exe = await upload(a.token, `clientId=${client.id}&kind=identity`, Buffer.from('MZ\x90\x00 not a pdf at all', 'latin1'), 'facture.pdf');
    expect(exe.status).toBe(400);
    expect(exe.json.error.fieldErrors.file).toEqual(['Fichier exécutable refusé : seuls les PDF et les images PNG, JPEG ou WebP sont acceptés']);
    expect((await upload(a.token, `clientId=${client.id}&kind=identity`, Buffer.from('<html><body>x</body></html>'))).json.error.message).toMatch(/^Contenu HTML ou script refusé/);
    expect((await upload(a.token, `clientId=${client.id}&kind=identity`, new Uint8Array(0))).json.error.message).toBe('Fichier vide');
    const big = await upload(a.token, `clientId=${client.id}&kind=identity`, Buffer.concat([PDF, Buffer.alloc(64 * 1024)]));
    expect(big).toEqual({ status: 413, json: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Fichier trop volumineux : 0,1 Mo au plus', fieldErrors: { file: ['Fichier trop volumineux : 0,1 Mo au plus'] } } } });
    expect((await upload(a.token, `clientId=${client.id}&kind=identity`, PDF, 'x.pdf', 'multipart/form-data; boundary=x')).status).toBe(415);
    expect((await call(a.token, 'documents.list', { clientId: client.id }, 'GET')).json.result.data).toEqual([]);
  });

  it('writes RFC 5987 names that no header injection gets through', () => {
    expect(contentDisposition('a"b\r\nSet-Cookie: x.pdf')).toBe(`attachment; filename="a_bSet-Cookie: x.pdf"; filename*=UTF-8''a%22b%0D%0ASet-Cookie%3A%20x.pdf`);
  });
});

describe('S3Storage', () => {
  // No S3 service is reachable here: this stands a minimal S3 endpoint on loopback (path-style
  // PUT/GET/DELETE object) to check the wiring through the official client, not S3 itself.
  it('puts, gets and deletes objects under the document key through the official client', async () => {
    const objects = new Map<string, Buffer>();
    const seen: string[] = [];
    const fake = express();
    fake.use(express.raw({ type: () => true, limit: '1mb' }));
    fake.all(/.*/, (req, res) => {
      seen.push(`${req.method} ${req.path} ${req.header('authorization')?.startsWith('AWS4-HMAC-SHA256 Credential=AKTEST/') ? 'signed' : 'unsigned'}`);
      if (req.method === 'PUT') objects.set(req.path, req.body as Buffer);
      if (req.method === 'DELETE') objects.delete(req.path);
      if (req.method === 'GET') {
        const body = objects.get(req.path);
        if (!body) return void res.status(404).type('application/xml').send('<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>missing</Message></Error>');
        return void res.type('application/octet-stream').send(body);
      }
      res.status(req.method === 'DELETE' ? 204 : 200).end();
    });
    const fakeServer = fake.listen(0, '127.0.0.1');
    await new Promise((resolve) => fakeServer.once('listening', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(fakeServer.address() as AddressInfo).port}`;
      // Built from the env as main.ts does: an endpoint means path-style requests.
      const s3 = s3StorageFromEnv(parseEnv({
        DATABASE_URL: 'postgresql://x@h/d',
        JWT_SECRET: 'x'.repeat(32),
        DOCUMENTS_STORAGE: 's3',
        DOCUMENTS_S3_BUCKET: 'crm-docs',
        DOCUMENTS_S3_ENDPOINT: endpoint,
        DOCUMENTS_S3_REGION: 'fr-par',
        DOCUMENTS_S3_ACCESS_KEY_ID: 'AKTEST',
        DOCUMENTS_S3_SECRET_ACCESS_KEY: 'secret',
      }));
      const key = '01900000-0000-7000-8000-000000000001/2026/12/01900000-0000-7000-8000-000000000002';
      await s3.put(key, PDF);
      const chunks: Buffer[] = [];
      for await (const chunk of await s3.get(key)) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks)).toEqual(PDF);
      await s3.delete(key);
      await expect(s3.get(key)).rejects.toBeInstanceOf(DocumentFileMissingError);
      await expect(s3.put('../../etc/passwd', PDF)).rejects.toThrow('invalid document storage key');
      expect(seen).toEqual([`PUT /crm-docs/${key} signed`, `GET /crm-docs/${key} signed`, `DELETE /crm-docs/${key} signed`, `GET /crm-docs/${key} signed`]);
    } finally {
      await new Promise<void>((resolve) => fakeServer.close(() => resolve()));
    }
  });

  it('is chosen and checked by the environment', () => {
    const env = { DATABASE_URL: 'postgresql://x@h/d', JWT_SECRET: 'x'.repeat(32) };
    expect(() => parseEnv({ ...env, DOCUMENTS_STORAGE: 's3' })).toThrow(/DOCUMENTS_S3_BUCKET: required when DOCUMENTS_STORAGE=s3/);
    expect(() => parseEnv({ ...env, DOCUMENTS_STORAGE: 's3', DOCUMENTS_S3_BUCKET: 'b', DOCUMENTS_S3_ACCESS_KEY_ID: 'k' })).toThrow(/go together/);
    expect(parseEnv({ ...env, DOCUMENTS_MAX_BYTES: '5242880' })).toMatchObject({ DOCUMENTS_STORAGE: 'local', DOCUMENTS_MAX_BYTES: 5_242_880 });
  });
});
