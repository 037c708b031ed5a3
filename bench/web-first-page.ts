import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createTestDatabase } from '@crm/db/testing';
import react from '@vitejs/plugin-react';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { build } from 'vite';
import { precompress } from '../apps/web/vite-precompress.ts';
import { fmt, signUpOverHttp, startApi, stopProcess } from './harness.ts';

// `pnpm --filter @crm/bench bench:web`: what the first page of the web app costs a browser,
// against an empty React + Vite app built in the same run from the workspace's react, react-dom,
// vite and @vitejs/plugin-react (no network). Both are served by the real API (apps/api/src/main.ts,
// WEB_DIST) and loaded in Debian's Chromium through playwright-core, each load in a fresh context.
//  - JS of the first page: every script the page loaded, counted as gzip -9 bytes of the built
//    file (goal: ours / empty <= 2), and as bytes on the wire (what the server chose to send).
//  - First contentful paint, median of BENCH_ROUNDS cold loads (empty cache) on loopback, then
//    with the cache warm (a second visit), then on a throttled link (BENCH_THROTTLE).
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const GOAL = 2;
// A throttled link for one extra series: download and upload in kbit/s, round trip in ms.
const [downKbps, upKbps, rttMs] = (process.env.BENCH_THROTTLE ?? '10000,5000,40').split(',').map(Number) as [number, number, number];
const repoRoot = path.resolve(import.meta.dirname, '..');
const webRoot = path.join(repoRoot, 'apps', 'web');
const work = mkdtempSync(path.join(tmpdir(), 'crm-bench-web-'));

/** An empty React + Vite app: one component, as `npm create vite` makes it, minus the demo. */
function writeEmptyApp(root: string): void {
  mkdirSync(path.join(root, 'src'), { recursive: true });
  writeFileSync(
    path.join(root, 'index.html'),
    '<!doctype html>\n<html lang="fr">\n  <head>\n    <meta charset="UTF-8" />\n    <title>Vide</title>\n  </head>\n  <body>\n    <div id="root"></div>\n    <script type="module" src="/src/main.tsx"></script>\n  </body>\n</html>\n',
  );
  writeFileSync(
    path.join(root, 'src', 'main.tsx'),
    [
      "import { StrictMode } from 'react';",
      "import { createRoot } from 'react-dom/client';",
      'function App() {',
      '  return <h1>Application vide</h1>;',
      '}',
      "createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);",
      '',
    ].join('\n'),
  );
  // react and react-dom resolve to the workspace's own copies (the bench depends on them).
  symlinkSync(path.join(import.meta.dirname, 'node_modules'), path.join(root, 'node_modules'), 'dir');
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

const emptyRoot = path.join(work, 'empty');
const emptyDist = path.join(emptyRoot, 'dist');
const webDist = path.join(work, 'web');
writeEmptyApp(emptyRoot);
// A production build whatever the caller's NODE_ENV (vitest and some shells set "test").
process.env.NODE_ENV = 'production';
const emptyBuild = await timed(() =>
  build({ root: emptyRoot, configFile: false, logLevel: 'warn', plugins: [react(), precompress()], build: { outDir: emptyDist, emptyOutDir: true } }),
);
const webBuild = await timed(() =>
  build({ root: webRoot, configFile: path.join(webRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir: webDist, emptyOutDir: true } }),
);

interface Load {
  /** Scripts the page loaded: path, gzip -9 bytes of the built file, bytes on the wire. */
  scripts: { path: string; gzip: number; wire: number; encoding: string }[];
  fcp: number;
}

const gzipCache = new Map<string, number>();
function gzipBytes(dist: string, urlPath: string): number {
  const file = path.join(dist, decodeURIComponent(urlPath));
  let size = gzipCache.get(file);
  if (size === undefined) gzipCache.set(file, (size = gzipSync(readFileSync(file), { level: 9 }).length));
  return size;
}

// Evaluated in the page (the browser's performance API, not Node's).
const firstContentfulPaint = (page: Page) =>
  page.evaluate<number>(`new Promise((resolve) => {
    new PerformanceObserver((list) => {
      const entry = list.getEntriesByName('first-contentful-paint')[0];
      if (entry) resolve(entry.startTime);
    }).observe({ type: 'paint', buffered: true });
  })`);

/** Opens `url` in `context`, waits for `ready`, and reports the scripts loaded and the FCP. */
async function visit(context: BrowserContext, dist: string, url: string, ready: (page: Page) => Promise<unknown>, page?: Page): Promise<Load> {
  page ??= await context.newPage();
  const scripts: Promise<Load['scripts'][number]>[] = [];
  const onResponse = (response: Response) => {
    const request = response.request();
    if (request.resourceType() !== 'script') return;
    const urlPath = new URL(response.url()).pathname;
    scripts.push(
      (async () => {
        const sizes = await request.sizes();
        return { path: urlPath, gzip: gzipBytes(dist, urlPath), wire: sizes.responseBodySize, encoding: (await response.allHeaders())['content-encoding'] ?? 'identity' };
      })(),
    );
  };
  page.on('response', onResponse);
  await page.goto(url);
  await ready(page);
  const fcp = await firstContentfulPaint(page);
  page.off('response', onResponse);
  return { scripts: await Promise.all(scripts), fcp };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sum = (load: Load, pick: 'gzip' | 'wire') => load.scripts.reduce((total, s) => total + s[pick], 0);

const database = await createTestDatabase(process.env.BENCH_DB_PREFIX ?? 'crm_bench');
const jwtSecret = randomBytes(36).toString('base64url');
const ours = await startApi(database.appUrl, jwtSecret, { WEB_DIST: webDist });
const empty = await startApi(database.appUrl, jwtSecret, { WEB_DIST: emptyDist });
let browser: Browser | undefined;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const person = { name: 'Bench Web', email: `bench.web.${randomBytes(4).toString('hex')}@example.test`, password: 'a benchmark password', organisationName: 'Bench Web SAS' };
  await signUpOverHttp(ours.url, person);

  const emptyReady = (page: Page) => page.getByRole('heading', { name: 'Application vide' }).waitFor();
  const loginReady = (page: Page) => page.getByRole('heading', { name: 'Connexion' }).waitFor();
  const homeReady = (page: Page) => page.getByRole('heading', { name: `Bonjour ${person.name}` }).waitFor();

  type Series = { cold: Load[]; warm: number[]; throttled: number[] };
  const series = (): Series => ({ cold: [], warm: [], throttled: [] });
  const results = { empty: series(), login: series() };
  let loggedIn: Load | undefined;
  let home: Load | undefined;

  // Cold, warm (the same context again: cached files), and throttled loads; empty and ours in turn.
  const measure = async (into: Series, url: string, dist: string, ready: (page: Page) => Promise<unknown>) => {
    const context = await browser!.newContext();
    into.cold.push(await visit(context, dist, url, ready));
    into.warm.push((await visit(context, dist, url, ready)).fcp);
    await context.close();
    const throttled = await browser!.newContext();
    const page = await throttled.newPage();
    const cdp = await throttled.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: rttMs, downloadThroughput: (downKbps * 1000) / 8, uploadThroughput: (upKbps * 1000) / 8 });
    into.throttled.push((await visit(throttled, dist, url, ready, page)).fcp);
    await throttled.close();
  };
  for (let round = 0; round < ROUNDS; round++) {
    await measure(results.empty, `${empty.url}/`, emptyDist, emptyReady);
    await measure(results.login, `${ours.url}/connexion`, webDist, loginReady);
  }

  // The home page: after logging in on the login page (what that page and the home page loaded
  // together), and opened directly by a signed-in person with an empty cache.
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    const scripts: Load['scripts'] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') {
        const urlPath = new URL(response.url()).pathname;
        scripts.push({ path: urlPath, gzip: gzipBytes(webDist, urlPath), wire: 0, encoding: '' });
      }
    });
    await page.goto(`${ours.url}/connexion`);
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Mot de passe').fill(person.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await homeReady(page);
    loggedIn = { scripts, fcp: 0 };
    const state = await context.storageState();
    await context.close();
    const direct = await browser.newContext({ storageState: state });
    home = await visit(direct, webDist, `${ours.url}/`, homeReady);
    await direct.close();
  }

  const emptyLoad = results.empty.cold[0]!;
  const loginLoad = results.login.cold[0]!;
  const base = sum(emptyLoad, 'gzip');
  const kb = (bytes: number) => `${fmt(bytes / 1000, 1)} kB`;
  const row = (name: string, load: Load) =>
    `| ${name.padEnd(44)} | ${String(load.scripts.length).padStart(7)} | ${kb(sum(load, 'gzip')).padStart(10)} | ${fmt(sum(load, 'gzip') / base, 2).padStart(5)} | ${(load.fcp ? kb(sum(load, 'wire')) : '').padStart(10)} |`;
  const fcpRow = (name: string, s: Series) =>
    `| ${name.padEnd(44)} | ${fmt(median(s.cold.map((l) => l.fcp)), 0).padStart(8)} | ${fmt(median(s.warm), 0).padStart(8)} | ${fmt(median(s.throttled), 0).padStart(13)} |`;

  console.log(`\n${new Date().toISOString()}, builds: empty app ${fmt(emptyBuild, 1)} s, web app ${fmt(webBuild, 1)} s\n`);
  console.log('| first page                                   | scripts |   JS gzip  | ratio |  JS wire   |');
  console.log('|----------------------------------------------|--------:|-----------:|------:|-----------:|');
  console.log(row('baseline: empty React + Vite app', emptyLoad));
  console.log(row('login page (/connexion)', loginLoad));
  console.log(row('home page, opened signed in (/)', home));
  console.log(row('login page, then home page after logging in', loggedIn));
  console.log(`\nwire: bytes received for those scripts (content-encoding: ${[...new Set(loginLoad.scripts.map((s) => s.encoding))].join(', ')})`);
  console.log(`\nfirst contentful paint, ms, median of ${ROUNDS} loads each, loopback (throttled: ${downKbps / 1000} Mbit/s down, ${upKbps / 1000} Mbit/s up, ${rttMs} ms RTT)\n`);
  console.log('| page                                         |     cold |     warm | cold throttled |');
  console.log('|----------------------------------------------|---------:|---------:|--------------:|');
  console.log(fcpRow('baseline: empty React + Vite app', results.empty));
  console.log(fcpRow('login page (/connexion)', results.login));
  const ratio = sum(loginLoad, 'gzip') / base;
  const homeRatio = sum(home, 'gzip') / base;
  console.log(
    `\nratios: login page JS / empty app = ${fmt(ratio, 2)}, home page JS / empty app = ${fmt(homeRatio, 2)} (goal <= ${GOAL}: ${Math.max(ratio, homeRatio) <= GOAL ? 'met' : 'NOT met'}); ` +
      `login FCP / empty app FCP = ${fmt(median(results.login.cold.map((l) => l.fcp)) / median(results.empty.cold.map((l) => l.fcp)), 2)} cold, ` +
      `${fmt(median(results.login.throttled) / median(results.empty.throttled), 2)} throttled`,
  );
  if (process.env.BENCH_VERBOSE) for (const load of [emptyLoad, loginLoad, home]) console.log(load.scripts.map((s) => `${s.path} ${s.gzip} ${s.wire} ${s.encoding}`).join('\n'), '\n');
} finally {
  await browser?.close();
  await Promise.all([stopProcess(ours.child), stopProcess(empty.child)]);
  await database.drop();
  rmSync(work, { recursive: true, force: true });
}
