import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import S3rver from '@20minutes/s3rver';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DocumentFileMissingError, type DocumentServices } from '@crm/domain';
import { testAuthDeps } from '@crm/domain/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentServicesFromEnv } from '../src/document-storage.ts';
import { parseEnv } from '../src/env.ts';
import { useApiServer } from './api-server.ts';
import { S3Storage } from '@crm/domain/s3-storage';

// The S3 storage against a real S3 HTTP server on loopback: s3rver (the @20minutes fork, which
// checks SigV4 header signatures), its objects in a temporary directory. Built from the env as
// main.ts builds it: DOCUMENTS_STORAGE=s3 with an endpoint, so path-style requests.
const BUCKET = 'crm-documents';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }; // s3rver's built-in account
let s3rver: S3rver;
let directory: string;
let endpoint: string;
let services: DocumentServices;

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const key = (tenant = randomUuid(), document = randomUuid()) => `${tenant}/2026/12/${document}`;
function randomUuid(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}
/** Fails fast where a stalled S3 client would otherwise hang until the test times out. */
function within<T>(promise: Promise<T>, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`storage stalled for ${ms} ms: no S3 socket free`)), ms)));
  return Promise.race([promise, stalled]).finally(() => clearTimeout(timer));
}
async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
const envFor = (overrides: Record<string, string> = {}) =>
  parseEnv({
    DATABASE_URL: 'postgresql://x@h/d',
    JWT_SECRET: 'x'.repeat(32),
    DOCUMENTS_STORAGE: 's3',
    DOCUMENTS_S3_BUCKET: BUCKET,
    DOCUMENTS_S3_ENDPOINT: endpoint,
    DOCUMENTS_S3_REGION: 'fr-par',
    DOCUMENTS_S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    DOCUMENTS_S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    DOCUMENTS_MAX_BYTES: String(8 * 1024 * 1024),
    ...overrides,
  });

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'crm-s3rver-'));
  s3rver = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: BUCKET }] });
  const { port } = await s3rver.run();
  endpoint = `http://127.0.0.1:${port}`;
  services = await documentServicesFromEnv(envFor());
});
afterAll(async () => {
  s3rver?.httpServer?.closeAllConnections();
  await s3rver?.close();
  await rm(directory, { recursive: true, force: true });
});

describe('S3Storage against s3rver', () => {
  it('puts, gets and deletes objects, byte for byte, under the document key', async () => {
    const { storage } = services;
    expect(storage).toBeInstanceOf(S3Storage);
    const pdfKey = key();
    await storage.put(pdfKey, PDF);
    expect(await read(await storage.get(pdfKey))).toEqual(PDF);

    // Larger than one socket read: the body comes back as a stream of several chunks.
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const bigKey = key();
    await storage.put(bigKey, big);
    const stream = await storage.get(bigKey);
    let chunks = 0;
    const hash = createHash('sha256');
    for await (const chunk of stream) {
      chunks++;
      hash.update(chunk as Buffer);
    }
    expect(chunks).toBeGreaterThan(1);
    expect(hash.digest('hex')).toBe(sha256(big));

    // Overwritten whole by a second put under the same key.
    await storage.put(pdfKey, big.subarray(0, 1000));
    expect(await read(await storage.get(pdfKey))).toEqual(big.subarray(0, 1000));

    await storage.delete(pdfKey);
    await storage.delete(bigKey);
    await expect(storage.get(pdfKey)).rejects.toBeInstanceOf(DocumentFileMissingError);
    await expect(storage.get(bigKey)).rejects.toBeInstanceOf(DocumentFileMissingError);
  });

  it('maps a missing key to DocumentFileMissingError, deletes a missing key quietly, refuses bad keys before any request', async () => {
    const { storage } = services;
    const missing = key();
    await expect(storage.get(missing)).rejects.toBeInstanceOf(DocumentFileMissingError);
    await expect(storage.get(missing)).rejects.toThrow(`no stored bytes for document key ${missing}`);
    await expect(storage.delete(missing)).resolves.toBeUndefined();
    await expect(storage.put('../../etc/passwd', PDF)).rejects.toThrow('invalid document storage key');
    await expect(storage.get(`${BUCKET}/../x`)).rejects.toThrow('invalid document storage key');
  });

  it('stores objects as opaque bytes (no type guessed by the store)', async () => {
    const { storage } = services;
    const k = key();
    await storage.put(k, PDF);
    const client = new S3Client({ region: 'fr-par', endpoint, forcePathStyle: true, credentials: CREDENTIALS });
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: k }));
    expect(head.ContentLength).toBe(PDF.length);
    expect(head.ContentType).toBe('application/octet-stream');
    await storage.delete(k);
  });

  it('does not take a wrong secret or a wrong bucket for a missing file', async () => {
    const k = key();
    await services.storage.put(k, PDF);
    const forged = (await documentServicesFromEnv(envFor({ DOCUMENTS_S3_SECRET_ACCESS_KEY: 'not-the-secret' }))).storage;
    await expect(forged.put(key(), PDF)).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    const refused = await forged.get(k).catch((error: unknown) => error);
    expect(refused).not.toBeInstanceOf(DocumentFileMissingError);
    expect(refused).toMatchObject({ name: 'SignatureDoesNotMatch' });

    const elsewhere = (await documentServicesFromEnv(envFor({ DOCUMENTS_S3_BUCKET: 'no-such-bucket' }))).storage;
    const noBucket = await elsewhere.get(k).catch((error: unknown) => error);
    expect(noBucket).not.toBeInstanceOf(DocumentFileMissingError);
    expect(noBucket).toMatchObject({ name: 'NoSuchBucket' });
    await services.storage.delete(k);
  });
});

describe('S3 requests on the wire', () => {
  it('signs the payload hash of a put (the document sha256), sends no optional checksum headers, asks for none back', async () => {
    // A recording hop between the storage and s3rver; the signature covers the Host it forwards.
    const seen: { method: string; headers: IncomingHttpHeaders }[] = [];
    const proxy = createServer((req, res) => {
      seen.push({ method: req.method!, headers: req.headers });
      const upstream = request(`${endpoint}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    proxy.listen(0, '127.0.0.1');
    await new Promise((resolve) => proxy.once('listening', resolve));
    try {
      const viaProxy = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const { storage } = await documentServicesFromEnv(envFor({ DOCUMENTS_S3_ENDPOINT: viaProxy }));
      const k = key();
      await storage.put(k, PDF);
      expect(await read(await storage.get(k))).toEqual(PDF);
      await storage.delete(k);
      const [put, get] = seen;
      expect(put).toMatchObject({ method: 'PUT', headers: { 'x-amz-content-sha256': sha256(PDF), 'content-length': String(PDF.length) } });
      expect(put!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=S3RVER\/\d{8}\/fr-par\/s3\/aws4_request, SignedHeaders=[^ ]*x-amz-content-sha256/);
      expect(get).toMatchObject({ method: 'GET' });
      for (const { headers } of seen) expect(Object.keys(headers).filter((name) => /^x-amz-(sdk-)?checksum|^x-amz-trailer$|^content-encoding$/.test(name))).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});

describe('documents over HTTP with the S3 storage', () => {
  const api = useApiServer(() => ({ ...testAuthDeps(), documents: services }));

  it('uploads a document for a tenant, downloads it back from the bucket, deletes it', async () => {
    const base = api.base();
    const { token } = await api.signUp('Stockage');
    const call = <T>(procedure: string, input: unknown) => api.data<T>(token, procedure, input);
    const { client } = await call<{ client: { id: string } }>('clients.create', { kind: 'company', companyName: 'Boulangerie Martin' });

    const uploaded = await fetch(`${base}/documents?clientId=${client.id}&kind=identity`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-file-name': 'cni.pdf' },
      body: PDF,
    });
    expect(uploaded.status).toBe(201);
    const document = (await uploaded.json()) as { id: string; sha256: string; sizeBytes: number };
    expect(document).toMatchObject({ sha256: sha256(PDF), sizeBytes: PDF.length });

    const download = await fetch(`${base}/documents/${document.id}/download`, { headers: { authorization: `Bearer ${token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PDF);

    expect(await call('documents.delete', { documentId: document.id })).toEqual({ id: document.id });
    expect((await fetch(`${base}/documents/${document.id}/download`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);

    // Downloads given up after the first chunk, more of them than the S3 client has sockets (50):
    // each must give its S3 connection back, or the storage stalls for everyone.
    const large = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5 * 1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
    const stored = await fetch(`${base}/documents?clientId=${client.id}&kind=other`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-file-name': 'contrat.pdf' },
      body: large,
    });
    expect(stored.status).toBe(201);
    const largeId = ((await stored.json()) as { id: string }).id;
    for (let i = 0; i < 55; i++) {
      const abort = new AbortController();
      const response = await within(fetch(`${base}/documents/${largeId}/download`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal }));
      expect(response.status).toBe(200);
      await response.body!.getReader().read();
      abort.abort();
    }
    const probe = key();
    await within(services.storage.put(probe, PDF));
    expect(await within(read(await services.storage.get(probe)))).toEqual(PDF);
    await services.storage.delete(probe);
    const whole = await within(fetch(`${base}/documents/${largeId}/download`, { headers: { authorization: `Bearer ${token}` } }));
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(sha256(large));
  });
});
