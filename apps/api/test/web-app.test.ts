import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { testAuthDeps } from '@crm/domain/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { precompressDirectory } from '../../web/vite-precompress.ts';
import { codingsFor } from '../src/web-app.ts';
import { useApiServer } from './api-server.ts';

// The built web app served by the real Express app: a small dist made here the way the web build
// makes it (Vite's layout, then the same precompression step), so no minutes-long build runs.
const work = mkdtempSync(path.join(tmpdir(), 'crm-web-app-'));
const dist = path.join(work, 'dist');
mkdirSync(path.join(dist, 'assets'), { recursive: true });
const SCRIPT = 'assets/index-Ab12Cd34.js';
const script = Array.from({ length: 400 }, (_, i) => `export const label${i} = "Chargement de la page ${i}";`).join('\n');
const shell = `<!doctype html><html lang="fr"><head><meta charset="UTF-8" /><title>CRM</title><script type="module" crossorigin src="/${SCRIPT}"></script></head><body><div id="root"></div></body></html>\n`.repeat(4);
writeFileSync(path.join(dist, 'index.html'), shell);
writeFileSync(path.join(dist, SCRIPT), script);
writeFileSync(path.join(dist, 'assets', 'tiny-Zz99Yy88.js'), 'export{};'); // too small to gain from compression
writeFileSync(path.join(dist, 'assets', 'logo-Qq11Ww22.svg'), `<svg xmlns="http://www.w3.org/2000/svg">${'<g/>'.repeat(300)}</svg>`);
writeFileSync(path.join(dist, '.env'), 'JWT_SECRET=in-the-dist-by-mistake');
// A hidden source map left in the build (WEB_SOURCEMAPS=hidden): never served.
writeFileSync(path.join(dist, `${SCRIPT}.map`), '{"version":3,"sources":["src/secret-rules.ts"]}');
writeFileSync(path.join(work, 'secret.txt'), 'outside the dist');
await precompressDirectory(dist);
// A file that only has a gzip variant (as a build with another tool might leave it).
const CSS = 'assets/only-gzip-Ee55Rr66.css';
const css = `.splash { padding: 3rem; }\n`.repeat(100);
writeFileSync(path.join(dist, CSS), css);
writeFileSync(path.join(dist, `${CSS}.gz`), gzipSync(css));

const api = useApiServer(testAuthDeps(), { webDist: dist });
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw HTTP request: the path goes out exactly as written, and the body is not decoded. */
function raw(urlPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  const { hostname, port } = new URL(api.base());
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: urlPath, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const onDisk = (file: string) => readFileSync(path.join(dist, file));
const CHROME = 'gzip, deflate, br, zstd';

describe('content negotiation of precompressed files', () => {
  it('sends brotli when it is accepted, with the variant’s length and the file’s type', async () => {
    for (const accept of ['br', CHROME, 'gzip;q=0.8, br', '*']) {
      const res = await raw(`/${SCRIPT}`, { 'accept-encoding': accept });
      expect(res.status, accept).toBe(200);
      expect(res.headers['content-encoding'], accept).toBe('br');
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(res.headers['content-length']).toBe(String(onDisk(`${SCRIPT}.br`).length));
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.body.length).toBeLessThan(script.length / 5);
      expect(brotliDecompressSync(res.body).toString()).toBe(script);
    }
  });

  it('sends gzip when brotli is not accepted or ranked lower, and when only gzip exists', async () => {
    for (const accept of ['gzip', 'gzip, deflate', 'x-gzip', 'br;q=0, gzip', 'gzip;q=1, br;q=0.5', 'br;q=0, *']) {
      const res = await raw(`/${SCRIPT}`, { 'accept-encoding': accept });
      expect(res.headers['content-encoding'], accept).toBe('gzip');
      expect(res.headers['content-length']).toBe(String(onDisk(`${SCRIPT}.gz`).length));
      expect(gunzipSync(res.body).toString()).toBe(script);
    }
    const onlyGzip = await raw(`/${CSS}`, { 'accept-encoding': CHROME });
    expect(onlyGzip.headers['content-encoding']).toBe('gzip');
    expect(onlyGzip.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(gunzipSync(onlyGzip.body).toString()).toBe(css);
  });

  it('falls back to the plain file (identity), still saying the answer varies', async () => {
    for (const accept of [undefined, '', 'identity', 'deflate', 'zstd', 'br;q=0, gzip;q=0', 'gzip;q=0.5, identity', '*;q=0']) {
      const res = await raw(`/${SCRIPT}`, accept === undefined ? {} : { 'accept-encoding': accept });
      expect(res.status, accept).toBe(200);
      expect(res.headers['content-encoding'], accept).toBeUndefined();
      expect(res.headers['content-length']).toBe(String(script.length));
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.body.toString()).toBe(script);
    }
    // Too small to have variants: the file itself, whatever is accepted.
    const tiny = await raw('/assets/tiny-Zz99Yy88.js', { 'accept-encoding': CHROME });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body.toString()).toBe('export{};');
    const svg = await raw('/assets/logo-Qq11Ww22.svg', { 'accept-encoding': CHROME });
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['content-encoding']).toBe('br');
  });

  it('answers HEAD with the same headers and no body, and revalidation per variant with 304', async () => {
    const get = await raw(`/${SCRIPT}`, { 'accept-encoding': 'br' });
    const head = await raw(`/${SCRIPT}`, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of ['content-encoding', 'content-length', 'content-type', 'cache-control', 'etag', 'vary']) expect(head.headers[name], name).toBe(get.headers[name]);
    const etag = get.headers.etag as string;
    const again = await raw(`/${SCRIPT}`, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // The gzip variant is another representation: the brotli one's tag does not validate it.
    const gzip = await raw(`/${SCRIPT}`, { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(gzip.status).toBe(200);
    expect(gzip.headers.etag).not.toBe(etag);
  });

  it('reads Accept-Encoding weights as RFC 9110 says, with our order for ties', () => {
    expect(codingsFor(CHROME)).toEqual(['br', 'gzip', 'identity']);
    expect(codingsFor('gzip;q=0.9, br;q=0.8')).toEqual(['gzip', 'br', 'identity']);
    expect(codingsFor('br;q=0.5, identity;q=0.7')).toEqual(['identity', 'br']);
    expect(codingsFor('br;q=nonsense, gzip;q=1.5, GZIP ; Q=0.2')).toEqual(['gzip', 'identity']);
    expect(codingsFor('deflate, gzip;q=0.5')).toEqual(['gzip', 'identity']);
    expect(codingsFor(undefined)).toEqual(['identity']);
    expect(codingsFor('*;q=0.1')).toEqual(['br', 'gzip', 'identity']);
    expect(codingsFor('*;q=0')).toEqual(['identity']);
  });
});

describe('caching', () => {
  it('keeps hashed assets a year (immutable) and revalidates the shell every time', async () => {
    for (const file of [SCRIPT, CSS, 'assets/tiny-Zz99Yy88.js']) {
      expect((await raw(`/${file}`, { 'accept-encoding': CHROME })).headers['cache-control'], file).toBe('public, max-age=31536000, immutable');
    }
    for (const page of ['/', '/index.html', '/clients', '/connexion']) {
      const res = await raw(page, { 'accept-encoding': CHROME });
      expect(res.headers['cache-control'], page).toBe('no-cache');
      expect(res.headers['content-type'], page).toBe('text/html; charset=utf-8');
      expect(res.headers['content-encoding'], page).toBe('br');
      expect(brotliDecompressSync(res.body).toString(), page).toBe(shell);
    }
  });
});

describe('the single-page app', () => {
  it('answers every page path with the shell, ids and tokens with dots included', async () => {
    const pages = ['/connexion', '/clients/0190d2a4-7b1c-7cde-8f00-123456789abc/modifier', '/invitation/0190d2a4-7b1c-7cde-8f00-123456789abc.s3cr3t-t0ken_x', '/parametres/membres', '/clients/'];
    for (const page of pages) {
      const res = await raw(page);
      expect(res.status, page).toBe(200);
      expect(res.headers['content-type'], page).toBe('text/html; charset=utf-8');
      expect(res.body.toString(), page).toBe(shell);
    }
    const head = await raw('/agenda', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(shell)));
  });

  it('never sends the shell for a missing file, a variant by name, another method or the API’s own paths', async () => {
    const cases: [string, string][] = [
      ['GET', '/assets/index-missing.js'],
      ['GET', '/assets/nothing-here'],
      ['GET', '/favicon.ico'],
      ['GET', '/robots.txt'],
      ['GET', `/${SCRIPT}.br`],
      ['GET', `/${SCRIPT}.gz`],
      ['GET', '/index.html.br'],
      ['GET', `/${SCRIPT}.map`],
      ['POST', '/clients'],
      ['DELETE', '/'],
      ['GET', '/trpc/nothing.here'],
      ['GET', '/documents/unknown'],
      ['GET', '/exports/unknown.csv'],
      ['GET', '/calendar'],
    ];
    for (const [method, page] of cases) {
      const res = await raw(page, { 'accept-encoding': CHROME }, method);
      expect(res.status, `${method} ${page}`).toBe(404);
      expect(String(res.headers['content-type']), `${method} ${page}`).not.toContain('text/html');
    }
  });
});

describe('paths outside the app', () => {
  it('refuses traversal, dotfiles and odd paths with a 4xx, never a file or the shell', async () => {
    const odd = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/assets/../index.html',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/..\\secret.txt',
      '/assets/%2E%2E%2F%2E%2E%2Fsecret.txt',
      '/.env',
      '/assets/./index-Ab12Cd34.js',
      '//secret.txt',
      '/assets//index-Ab12Cd34.js',
      `/${SCRIPT}%00`,
      '/%00',
      '/clients%2fsecret',
      '/assets/%E0%A4%A',
      '/assets/',
      '/assets',
      `/${SCRIPT}/`,
    ];
    for (const page of odd) {
      const res = await raw(page, { 'accept-encoding': 'identity' });
      expect([400, 404], page).toContain(res.status);
      const body = res.body.toString();
      expect(body, page).not.toContain('outside the dist');
      expect(body, page).not.toContain('JWT_SECRET');
      expect(body, page).not.toContain('<!doctype html>');
    }
  });
});
