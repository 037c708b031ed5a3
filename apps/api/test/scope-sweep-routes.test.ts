import { rm } from 'node:fs/promises';
import { can, LocalDiskStorage, type Permission } from '@crm/domain';
import { testAuthDeps } from '@crm/domain/testing';
import { isHidden, markersHiddenFrom, scopeOrganisation, SWEPT_ROLES, type ScopeFixture, type SweptRole, type Target } from '@crm/trpc/testing/scope';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { useApiServer } from './api-server.ts';

/**
 * The scope sweep of the routes beside /trpc (packages/trpc/test/scope-sweep.test.ts does the
 * procedures), over real HTTP: every role of one organisation asks every file route for the
 * records outside its scope and gets 404 or 403, never a 500, and no answer to a role contains
 * the marker of a record out of its scope (a CSV export, a calendar feed, a batch file...). A
 * new route fails the sweep until it has a line here.
 */

const storage = LocalDiskStorage.temporary('crm-scope-sweep');
const services = { ...testAuthDeps(), documents: { storage, maxBytes: 64 * 1024 } };
const api = useApiServer(services);
afterAll(() => rm(storage.root, { recursive: true, force: true }));

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

interface Request {
  method: 'GET' | 'POST';
  path: string;
  body?: Uint8Array | string;
  headers?: Record<string, string>;
}
interface RouteCase {
  target: Target;
  request: (f: ScopeFixture, role: SweptRole) => Request;
  /** Refused to every role, in scope or not (what no member may upload). */
  refusedToAll?: number[];
}
interface RouteLine {
  /** The permission the route checks ('public': the URL or nothing is the credential). */
  access: Permission | 'public';
  write?: boolean;
  cases: RouteCase[];
}

const upload = (path: string, body: Uint8Array | string, headers: Record<string, string> = {}): Request => ({ method: 'POST', path, body, headers });
const feeds = new Map<SweptRole, string>();

/** Every route of the Express app but /trpc, with what it is tried on. */
const ROUTES: Record<string, RouteLine> = {
  'GET /health': { access: 'public', cases: [{ target: 'none', request: () => ({ method: 'GET', path: '/health' }) }] },
  // Closed (404) here: no METRICS_TOKEN given; a member's access token is never a metrics token (metrics.test.ts).
  'GET /metrics': { access: 'public', cases: [{ target: 'none', request: () => ({ method: 'GET', path: '/metrics' }) }] },
  'GET /ready': { access: 'public', cases: [{ target: 'none', request: () => ({ method: 'GET', path: '/ready' }) }] },
  'GET /exports/clients.csv': {
    access: 'clients.read',
    cases: [
      { target: 'none', request: () => ({ method: 'GET', path: '/exports/clients.csv' }) },
      { target: 'none', request: () => ({ method: 'GET', path: '/exports/clients.csv?search=zxq' }) },
    ],
  },
  'POST /imports/clients': {
    access: 'clients.import',
    write: true,
    cases: [{ target: 'none', request: () => upload('/imports/clients?fileName=clients.csv', 'Nom;Email\nDurand;zxq@example.test\n') }],
  },
  'GET /batches/:id/file': { access: 'payments.write', cases: [{ target: 'organisation', request: (f) => ({ method: 'GET', path: `/batches/${f.batch.id}/file` }) }] },
  'POST /bank-returns': {
    access: 'payments.write',
    write: true,
    cases: [{ target: 'none', request: () => upload('/bank-returns?fileName=retours.csv', 'end_to_end_id;status;reason_code\nE2E-PLX-1;rejected;AM04\n', { 'content-type': 'text/csv' }) }],
  },
  // The feed's URL is its credential: each role reads its own, and sees what it sees in the app.
  'GET /calendar/:file': { access: 'public', cases: [{ target: 'none', request: (_f, role) => ({ method: 'GET', path: `/calendar/${feeds.get(role)}.ics` }) }] },
  'POST /documents': {
    access: 'documents.write',
    write: true,
    cases: [
      { target: 'client', request: (f) => upload(`/documents?clientId=${f.client.id}&kind=other`, PDF, { 'content-type': 'application/octet-stream', 'x-file-name': 'x.pdf' }) },
      {
        target: 'none',
        refusedToAll: [400, 403],
        request: (f) => upload(`/documents?clientId=${f.teamClient.id}&kind=signed_contract`, PDF, { 'content-type': 'application/octet-stream', 'x-file-name': 'faux.pdf' }),
      },
    ],
  },
  'GET /documents/:id/download': { access: 'documents.read', cases: [{ target: 'client', request: (f) => ({ method: 'GET', path: `/documents/${f.document.id}/download` }) }] },
  'GET /contracts/:id/pdf': { access: 'contracts.read', cases: [{ target: 'client', request: (f) => ({ method: 'GET', path: `/contracts/${f.contract.id}/pdf` }) }] },
  'GET /contracts/:id/mandate.pdf': { access: 'contracts.read', cases: [{ target: 'client', request: (f) => ({ method: 'GET', path: `/contracts/${f.contract.id}/mandate.pdf` }) }] },
};

/** The app's routes as Express holds them, "METHOD /path" (/trpc is mounted, not routed). */
function appRoutes(): string[] {
  const app = createApp({ services, log: pino({ level: 'silent' }), readiness: [], webOrigin: 'http://web.example.test', secureCookies: false });
  const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
  return stack.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`) : [])).sort();
}

let f: ScopeFixture;
beforeAll(async () => {
  f = await scopeOrganisation(services);
  await storage.put(f.document.storageKey, PDF);
  for (const role of SWEPT_ROLES) feeds.set(role, (await f.members[role].caller.appointments.rotateFeed()).token);
}, 120_000);

describe('inside one organisation, every role against the file routes, outside its scope', () => {
  it('has a line for every route of the app', () => {
    const routes = appRoutes();
    expect(routes.filter((route) => !(route in ROUTES)), 'routes without a line in ROUTES').toEqual([]);
    expect(Object.keys(ROUTES).filter((route) => !routes.includes(route)), 'lines for routes that do not exist').toEqual([]);
  });

  it('answers 404 or 403, never a 500, never their data', { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const role of SWEPT_ROLES) {
      const hiddenMarkers = markersHiddenFrom(role).map((m) => m.toLowerCase());
      for (const [route, line] of Object.entries(ROUTES)) {
        const permitted = line.access === 'public' || can(role, line.access);
        for (const c of line.cases) {
          const hidden = isHidden(c.target, role);
          if (line.write && permitted && !hidden && !c.refusedToAll) continue; // a legitimate upload: its own tests
          tried++;
          const request = c.request(f, role);
          const response = await fetch(`${api.base()}${request.path}`, {
            method: request.method,
            headers: { authorization: `Bearer ${f.members[role].token}`, ...request.headers },
            ...(request.body === undefined ? {} : { body: request.body }),
          });
          const body = (await response.text()).toLowerCase();
          const where = `${role} ${route} ${request.path}`;
          if (response.status >= 500) failures.push(`${where}: ${response.status} ${body.slice(0, 200)}`);
          const leaked = hiddenMarkers.filter((m) => body.includes(m));
          if (leaked.length > 0) failures.push(`${where}: answered ${response.status} with ${leaked.join(', ')}`);
          if (c.refusedToAll) {
            if (!c.refusedToAll.includes(response.status)) failures.push(`${where}: ${response.status}, expected ${c.refusedToAll.join(' or ')}`);
          } else if (!permitted && response.status !== 403) failures.push(`${where}: ${response.status}, expected 403`);
          else if (permitted && hidden && ![403, 404].includes(response.status)) failures.push(`${where}: ${response.status}, expected 404 or 403`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(40);
  });
});
