import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { createDb, withTenant, type Db } from '@crm/db';
import { createClient, DEFAULT_MAX_DOCUMENT_BYTES, downloadDocument, LocalDiskStorage, storeGeneratedDocument } from '@crm/domain';
import { ownerTenant } from '@crm/domain/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorker } from '../src/worker.ts';
import { dashboardTotals, ownDatabase, silent, until } from './support.ts';

// The README's backup: `pg_dump --format=custom` of the database (as the owner) and a copy of
// the documents' folder; restored with `pg_restore` into a new database. Every table comes back
// row for row, a document's bytes match their sha256, and the dashboard projection catches up
// with the events that were still in the outbox when the dump was taken, each counted once.
const run = promisify(execFile);
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function rowCounts(ownerUrl: string): Promise<Record<string, number>> {
  const tables = await query<{ name: string }>(ownerUrl, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = Number((await query<{ n: string }>(ownerUrl, `SELECT count(*) AS n FROM "${name}"`))[0]!.n);
  return counts;
}

const withDatabase = (url: string, database: string) => Object.assign(new URL(url), { pathname: `/${database}` }).toString();

describe('backup and restore', () => {
  it('pg_dump then pg_restore into a new database: every row, a document’s bytes, and the dashboard caught up', async (ctx) => {
    const { database, db, deps } = await ownDatabase('crm_backup');
    cleanups.push(() => database.drop(), () => db.$disconnect());
    // pg_dump refuses a server newer than itself (Debian's is 15; the PostgreSQL 18 run has none).
    const dumpMajor = Number(/(\d+)\./.exec((await run('pg_dump', ['--version'])).stdout)![1]);
    const serverMajor = Math.floor(Number((await query<{ v: string }>(database.ownerUrl, "SELECT current_setting('server_version_num') AS v"))[0]!.v) / 10_000);
    if (serverMajor > dumpMajor) ctx.skip(`pg_dump ${dumpMajor} cannot dump PostgreSQL ${serverMajor}`);

    const { run: asOwner, owner } = await ownerTenant(deps);
    const tenantId = owner.tenantId;
    const documentsDir = await mkdtemp(path.join(tmpdir(), 'crm-backup-docs-'));
    cleanups.push(() => rm(documentsDir, { recursive: true, force: true }));
    const documents = { storage: new LocalDiskStorage(documentsDir), maxBytes: DEFAULT_MAX_DOCUMENT_BYTES };
    const newClient = async (i: number) =>
      (await asOwner((d) => createClient(d, { kind: 'company', companyName: `Sauvegarde ${i} ${randomBytes(3).toString('hex')}`, ignoreDuplicates: true }))).client!;

    // Five clients projected on the dashboard, then three whose events are still in the outbox.
    const first = await newClient(0);
    for (let i = 1; i < 5; i++) await newClient(i);
    const worker = await startWorker({ db, nats: null, log: silent, relayPollMs: 50 });
    await until(() => dashboardTotals(db, tenantId), (t) => t.newClients === 5);
    await worker.stop();
    for (let i = 5; i < 8; i++) await newClient(i);
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(4096), Buffer.from('\n%%EOF\n')]);
    const document = await asOwner((d) => storeGeneratedDocument({ ...d, documents }, { clientId: first.id, kind: 'other', fileName: 'piece.pdf', bytes }));

    // The backup: the database as the owner, in PostgreSQL's custom format.
    const dumpFile = path.join(documentsDir, '..', `crm-backup-${randomBytes(4).toString('hex')}.dump`);
    cleanups.push(() => rm(dumpFile, { force: true }));
    await run('pg_dump', ['--format=custom', '--file', dumpFile, `--dbname=${database.ownerUrl}`]);

    // The restore: a new, empty database, then pg_restore (the roles exist in the cluster).
    const restoredName = `${database.name}_restored`;
    const serverUrl = withDatabase(database.ownerUrl, 'postgres');
    await query(serverUrl, `CREATE DATABASE ${restoredName}`);
    cleanups.push(() => query(serverUrl, `DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`));
    const restoredOwnerUrl = withDatabase(database.ownerUrl, restoredName);
    await run('pg_restore', ['--exit-on-error', '--no-password', `--dbname=${restoredOwnerUrl}`, dumpFile]);

    const before = await rowCounts(database.ownerUrl);
    const after = await rowCounts(restoredOwnerUrl);
    expect(after).toEqual(before);
    expect(after.clients).toBe(8);

    // Restored rows and the copied documents' folder: the document's bytes, as the app reads them.
    const restored: Db = createDb({ url: withDatabase(database.appUrl, restoredName), poolSize: 4 });
    cleanups.push(() => restored.$disconnect());
    const download = await withTenant(restored, tenantId, async (tx) => {
      const actor = { userId: owner.userId, tenantId, memberId: (await tx.membership.findFirstOrThrow({ where: { userId: owner.userId } })).id, role: 'owner' as const };
      return downloadDocument({ tx, actor, now: new Date(), documents }, { documentId: document.id });
    });
    const served = await buffer(download.body);
    expect(served.equals(bytes)).toBe(true);
    expect(createHash('sha256').update(served).digest('hex')).toBe(download.sha256);

    // Projections: the dump holds the dashboard as it was (5), and the outbox rows not yet
    // handled; a worker on the restored database brings it to 8, each event counted once.
    expect((await dashboardTotals(restored, tenantId)).newClients).toBe(5);
    const restoredWorker = await startWorker({ db: restored, nats: null, log: silent, relayPollMs: 50 });
    await until(() => dashboardTotals(restored, tenantId), (t) => t.newClients === 8);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await restoredWorker.stop();
    expect((await dashboardTotals(restored, tenantId)).newClients).toBe(8);
    const handled = await query<{ n: string }>(restoredOwnerUrl, `SELECT count(*) AS n FROM processed_events p JOIN outbox_events o ON o.id = p.event_id WHERE p.consumer = 'dashboard' AND o.tenant_id = '${tenantId}' AND o.type = 'client.created'`);
    expect(Number(handled[0]!.n)).toBe(8);
  }, 120_000);
});
