import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openEmbeddedDb } from '@crm/db/embedded';
import { DEFAULT_MAX_DOCUMENT_BYTES, LocalDiskStorage, seedDemo } from '@crm/domain';
import { startWorker } from '@crm/worker/worker';
import { createApp } from './app.ts';
import { createLogger } from './logger.ts';
import { serveUntilSignal } from './serve.ts';
import { buildServices, notificationSignalFrom } from './services.ts';

/**
 * The whole CRM in one process, for trying it on one's own machine: an embedded PostgreSQL
 * (PGlite, persisted in .data/), the API, the worker (events handled in process) and the web
 * app, on one port, with a demo organisation. Row-level security is enforced as on a server.
 */
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
/* eslint-disable no-restricted-properties -- embedded mode has no env of its own but these */
const dataDir = path.resolve(process.env.CRM_DATA_DIR ?? path.join(repoRoot, '.data'));
const port = Number(process.env.PORT ?? 3000);
const logLevel = process.env.LOG_LEVEL ?? 'info';
/* eslint-enable no-restricted-properties */

const log = createLogger(logLevel);
const started = Date.now();
const { db, listen, close } = await openEmbeddedDb(path.join(dataDir, 'pglite'));
const jwtSecret = await loadOrCreateSecret(path.join(dataDir, 'jwt-secret'));
// One LISTEN for all open notification streams, fanned out to them in process.
const notificationListeners = new Set<(payload: string) => void>();
const stopNotifications = await listen('crm_notifications', (payload) => notificationListeners.forEach((l) => l(payload)));
const documents = { storage: new LocalDiskStorage(path.join(dataDir, 'documents')), maxBytes: DEFAULT_MAX_DOCUMENT_BYTES };
const origin = `http://localhost:${port}`;
const services = buildServices({
  db,
  jwtSecret,
  appUrl: origin,
  // No mail leaves this machine: the web app shows it ("Courriers envoyés"), verification links included.
  mailCapture: true,
  notificationSignal: notificationSignalFrom((callback) => {
    notificationListeners.add(callback);
    return () => notificationListeners.delete(callback);
  }),
  documents,
});
const demo = await seedDemo({ ...services, documents });
const unlisten: (() => Promise<void>)[] = [];
const worker = await startWorker({
  db,
  nats: null,
  log: log.child({ component: 'worker' }),
  waker: {
    onNotify: (callback) => void listen('crm_outbox', () => callback()).then((stop) => unlisten.push(stop)),
    close: async () => void (await Promise.all(unlisten.map((stop) => stop()))),
  },
});

const webDist = path.join(repoRoot, 'apps', 'web', 'dist');
if (!existsSync(path.join(webDist, 'index.html'))) {
  log.warn('apps/web/dist is missing: run `pnpm --filter @crm/web build` (pnpm start does it for you)');
}
const app = createApp({
  services,
  log,
  readiness: [
    { name: 'database', check: async () => void (await db.$queryRaw`select 1`) },
    {
      name: 'worker',
      check: async () => {
        if ((await worker.health()).status !== 'ok') throw new Error('worker degraded');
      },
    },
  ],
  webOrigin: origin,
  secureCookies: false,
  webDist,
});
await serveUntilSignal(() => app.listen(port, '127.0.0.1'), log, async () => {
  await stopNotifications();
  await worker.stop();
  await close();
});

console.log(`
  CRM prêt en ${((Date.now() - started) / 1000).toFixed(1)} s : ${origin}
  Connexion démo : ${demo.email} / ${demo.password}
  Courriers envoyés (liens d'inscription) : ${origin}/courriers
  Données : ${dataDir} (PostgreSQL embarqué, PGlite)
`);

async function loadOrCreateSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}
