import { request } from 'node:http';
import { withTenant, type Db } from '@crm/db';
import { derivedColumns } from '@crm/domain';
import { testAuthDeps } from '@crm/domain/testing';
import type { CrmServices } from '@crm/trpc';
import { describe, expect, it } from 'vitest';
import { useApiServer } from './api-server.ts';

// The CSV export streams page by page, so its status is sent before the last page is read. A
// failure after that must reach the client as a broken download, never as a clean 200 with a
// file cut short that a spreadsheet would open as if it were complete.

/** The database, with a switch that makes every later transaction fail (a lost connection, a timeout). */
function failingDb(db: Db) {
  const state = { failAfter: Infinity };
  const proxy = new Proxy(db, {
    get(target, property, receiver) {
      if (property === '$transaction' && state.failAfter-- <= 0) return () => Promise.reject(new Error('connection lost (test)'));
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy, state };
}

const base = testAuthDeps();
const faulty = failingDb(base.db);
const services: CrmServices = { ...base, db: faulty.db };
const api = useApiServer(services);

/** The response as the wire carried it: status, and whether the chunked body was terminated properly. */
function download(path: string, token: string): Promise<{ status: number; complete: boolean; body: string }> {
  return new Promise((resolve) => {
    const url = new URL(`${api.base()}${path}`);
    const chunks: Buffer[] = [];
    const req = request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, complete: res.complete, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ status: res.statusCode!, complete: false, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('aborted', () => resolve({ status: res.statusCode!, complete: false, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', () => resolve({ status: 0, complete: false, body: '' }));
    req.end();
  });
}

async function tenantWithClients(count: number) {
  const { token, tenantId } = await api.signUp('Export');
  await withTenant(base.db, tenantId, (tx) =>
    tx.client.createMany({
      data: Array.from({ length: count }, (_, i) => {
        const client = { kind: 'person' as const, lastName: `Client ${String(i).padStart(4, '0')}`, city: 'Lyon' };
        return { tenantId, ...client, ...derivedColumns(client) };
      }),
    }),
  );
  return token;
}

describe('GET /exports/clients.csv when the database fails', () => {
  it('breaks the download when a page fails half-way, rather than ending a cut-off file cleanly', async () => {
    const token = await tenantWithClients(250); // three pages of 100
    const whole = await download('/exports/clients.csv?sort=name', token);
    expect(whole).toMatchObject({ status: 200, complete: true });
    expect(whole.body.trim().split('\r\n')).toHaveLength(251);

    // The actor and the first page read, then the second page's transaction fails.
    faulty.state.failAfter = 2;
    const broken = await download('/exports/clients.csv?sort=name', token);
    faulty.state.failAfter = Infinity;
    expect(broken.complete).toBe(false);
    expect(broken.body.trim().split('\r\n').length).toBeLessThan(251);
  });

  it('answers an error status when it fails before the first line is sent', async () => {
    const token = await tenantWithClients(3);
    faulty.state.failAfter = 1; // the actor is read, the first page fails
    const failed = await download('/exports/clients.csv', token);
    faulty.state.failAfter = Infinity;
    expect(failed.status).toBe(500);
    expect(failed.body).not.toContain('Nom');
  });

  it('refuses bad filters with field errors', async () => {
    const token = await tenantWithClients(1);
    const refused = await download(`/exports/clients.csv?createdFrom=0000-01-01&city=${encodeURIComponent('Ly\u0000on')}`, token);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'BAD_REQUEST', fieldErrors: { createdFrom: [expect.any(String)], city: [expect.any(String)] } } });
  });
});
