import { createHash } from 'node:crypto';
import { withTenant } from '@crm/db';
import { runClientImport, systemClock } from '@crm/domain';
import { testAuthDeps } from '@crm/domain/testing';
import { describe, expect, it } from 'vitest';
import { useApiServer } from './api-server.ts';

// The upload route over real HTTP, then the clientImports procedures, as the web wizard calls them.
const services = testAuthDeps();
const api = useApiServer(services);
const { call } = api;
const signUp = () => api.signUp('Import');



async function upload(token: string | null, body: Uint8Array | string, fileName = 'clients.csv') {
  const response = await fetch(`${api.base()}/imports/clients?fileName=${encodeURIComponent(fileName)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: response.status, json: (await response.json()) as any };
}


describe('POST /imports/clients', () => {
  it('stores a Windows-1252 file and answers what it found; the procedures take it from there', async () => {
    const a = await signUp();
    const csv = Uint8Array.from(Buffer.from('Prénom;Nom;Email\r\nHélène;Lefèvre;helene@example.test\r\nLuc;Bernard;pas-un-email\r\n', 'latin1'));
    const uploaded = await upload(a.token, csv, 'export Excel.csv');
    expect(uploaded.status).toBe(201);
    expect(uploaded.json).toMatchObject({
      fileName: 'export Excel.csv',
      encoding: 'windows-1252',
      delimiter: ';',
      headers: ['Prénom', 'Nom', 'Email'],
      suggestedMapping: ['firstName', 'lastName', 'email'],
      preview: [['Hélène', 'Lefèvre', 'helene@example.test'], ['Luc', 'Bernard', 'pas-un-email']],
      totalRows: 2,
    });
    const importId = uploaded.json.id as string;
    const dryRun = await call(a.token, 'clientImports.dryRun', { importId, mapping: uploaded.json.suggestedMapping, duplicatePolicy: 'skip' });
    expect(dryRun.status).toBe(200);
    expect(dryRun.json.result.data).toMatchObject({ validRows: 1, invalidRows: 1, errors: [{ row: 3, field: 'email', message: 'Email invalide' }] });
    expect((await call(a.token, 'clientImports.start', { importId })).json.result.data).toEqual({ importId, status: 'queued' });
    // What the worker does (a worker of another test file on the same database may get there first).
    while ((await runClientImport({ db: services.db, clock: systemClock }, { tenantId: a.tenantId, importId })).outcome === 'busy') {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    let done = await call(a.token, 'clientImports.get', { importId }, 'GET');
    for (let i = 0; i < 50 && done.json.result.data.status !== 'succeeded'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      done = await call(a.token, 'clientImports.get', { importId }, 'GET');
    }
    expect(done.json.result.data).toMatchObject({ status: 'succeeded', insertedRows: 1, processedRows: 1 });

    // Another organisation cannot read, simulate or start it, and does not list it.
    const b = await signUp();
    for (const [path, input, method] of [
      ['clientImports.get', { importId }, 'GET'],
      ['clientImports.dryRun', { importId, mapping: ['firstName', 'lastName', null], duplicatePolicy: 'skip' }, 'POST'],
      ['clientImports.start', { importId }, 'POST'],
    ] as const) {
      const res = await call(b.token, path, input, method);
      expect(`${path}: ${res.status} ${res.json.error.data.code}`).toBe(`${path}: 404 NOT_FOUND`);
    }
    expect((await call(b.token, 'clientImports.list', {}, 'GET')).json.result.data).toEqual([]);
  });

  it('takes a 13 MB file of 130,000 rows (more than the former 10 MB limit), streamed in', async () => {
    const a = await signUp();
    const rows = Array.from({ length: 130_000 }, (_, i) => `Client${i};Prénom${i};client${i}@example.test;06 ${String(10_000_000 + i).slice(-8).replace(/(\d\d)(?=\d)/g, '$1 ')};${i} avenue de la République;75011;Paris`);
    const csv = Buffer.from(['Nom;Prénom;Email;Mobile;Adresse;Code postal;Ville', ...rows].join('\r\n'));
    expect(csv.length).toBeGreaterThan(10 * 1024 * 1024);
    const uploaded = await upload(a.token, csv, 'gros fichier.csv');
    expect(uploaded.status).toBe(201);
    expect(uploaded.json).toMatchObject({ encoding: 'utf-8', delimiter: ';', totalRows: 130_000 });
    expect(uploaded.json.preview[0][0]).toBe('Client0');
    const stored = await withTenant(services.db, a.tenantId, (tx) =>
      tx.clientImport.findFirstOrThrow({ where: { id: uploaded.json.id as string }, select: { sizeBytes: true, sha256: true, _count: { select: { chunks: true } } } }),
    );
    expect(stored).toEqual({ sizeBytes: csv.length, sha256: createHash('sha256').update(csv).digest('hex'), _count: { chunks: Math.ceil(csv.length / (1024 * 1024)) } });
  });

  it('refuses garbage with 400 in French; no token 401', async () => {
    const a = await signUp();
    const garbage = await upload(a.token, Uint8Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 256));
    expect(garbage.status).toBe(400);
    expect(garbage.json.error.message).toBe("Ce fichier n'est pas un fichier texte CSV (contenu binaire)");
    expect((await upload(a.token, '')).json.error.message).toBe('Fichier vide');
    expect((await upload(null, 'Nom\nMartin\n')).status).toBe(401);
    expect((await call(a.token, 'clientImports.list', {}, 'GET')).json.result.data).toEqual([]);
  });
});

describe('POST /imports/clients past IMPORT_MAX_BYTES', () => {
  const limited = useApiServer({ ...testAuthDeps(), importMaxBytes: 2 * 1024 * 1024 });
  const post = async (token: string, body: Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) => {
    const response = await fetch(`${limited.base()}/imports/clients?fileName=big.csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}`, ...headers },
      body,
      ...({ duplex: 'half' } as object),
    });
    return { status: response.status, json: (await response.json()) as any };
  };
  const tooLarge = { status: 413, json: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Fichier trop volumineux : 2 Mo au plus', fieldErrors: { file: ['Fichier trop volumineux : 2 Mo au plus'] } } } };

  it('answers 413 by the declared length, and by the bytes of a stream without one; stores nothing', async () => {
    const a = await limited.signUp('Limite');
    const line = Buffer.from('Martin;Jean;jean@example.test\n');
    const body = Buffer.concat([Buffer.from('Nom;Prénom;Email\n'), ...Array.from({ length: Math.ceil((2 * 1024 * 1024) / line.length) + 1 }, () => line)]);
    expect(await post(a.token, body)).toEqual(tooLarge);
    // Chunked, no Content-Length: refused once the bytes pass the limit.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < body.length; i += 64 * 1024) controller.enqueue(body.subarray(i, i + 64 * 1024));
        controller.close();
      },
    });
    expect(await post(a.token, stream)).toEqual(tooLarge);
    expect((await limited.call(a.token, 'clientImports.list', {}, 'GET')).json.result.data).toEqual([]);
    // Just under the limit is fine.
    expect((await post(a.token, body.subarray(0, 2 * 1024 * 1024 - 100))).status).toBe(201);
  });
});
