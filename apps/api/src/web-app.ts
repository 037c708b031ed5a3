import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Serves the built web app (apps/web/dist): files, each in the content coding the browser
 * prefers among those precompressed at build time (`<file>.br`, `<file>.gz`, see
 * apps/web/vite-precompress.ts), and the app's shell (index.html) for every other page path,
 * since the app routes in the browser. Nothing is compressed per request.
 *
 * - `/assets/*` are content-hashed by Vite: a new build gives new names, so they are cached for a
 *   year (`immutable`); everything else (index.html first) is revalidated on every use (`no-cache`).
 * - A path is read from the disk only if every segment is plain (letters, digits, `._~-`, not
 *   starting with a dot) and the file it names is inside the directory; anything odd (`..`,
 *   encoded slashes or dots, backslashes, control characters, empty segments) is a 404, never the
 *   shell. A missing asset or file-like path is a 404 too: a page is never sent for a script.
 */
export function serveWebApp(distDir: string): RequestHandler {
  const root = path.resolve(distDir);
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const urlPath = req.path;
    if (API_PATHS.test(urlPath) || isOdd(urlPath)) return next();
    const asset = urlPath === '/assets' || urlPath.startsWith('/assets/');
    if (PLAIN_PATH.test(urlPath) && !VARIANT.test(urlPath)) {
      const file = path.join(root, ...urlPath.split('/'));
      if (file.startsWith(root + path.sep)) {
        sendFile(req, res, next, file, asset ? IMMUTABLE : REVALIDATE, () => shellOrNotFound(req, res, next, root, asset, urlPath));
        return;
      }
    }
    shellOrNotFound(req, res, next, root, asset, urlPath);
  };
}

/** The API's own paths: an unknown one there is the API's JSON 404, never the web app's shell. */
const API_PATHS = /^\/(?:trpc|exports|imports|batches|bank-returns|calendar|documents|contracts|health|ready)(?:\/|$)/;
/** Segments of letters, digits and `._~-`, none starting with a dot (no `.`, `..`, dotfiles, `%`). */
const PLAIN_PATH = /^(?:\/[\w~-][\w.~-]*)+$/;
/** Precompressed variants are chosen by negotiation, never asked for by name; source maps are never public. */
const VARIANT = /\.(?:br|gz|map)$/i;
/** The last segment names a file, not a page (page paths hold ids and tokens, never these endings). */
const FILE_LIKE = /\.(?:m?js|css|map|html?|json|txt|xml|webmanifest|wasm|png|jpe?g|gif|webp|avif|svg|ico|woff2?|ttf|otf|br|gz)$/i;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

function shellOrNotFound(req: Request, res: Response, next: NextFunction, root: string, asset: boolean, urlPath: string): void {
  if (asset || FILE_LIKE.test(urlPath)) return next();
  sendFile(req, res, next, path.join(root, 'index.html'), REVALIDATE, () => next());
}

/** `..`, `.`, dotfiles, encoded separators, backslashes, control characters, empty segments, bad escapes. */
function isOdd(urlPath: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return true;
  }
  if (/%2f|%5c/i.test(urlPath) || /[\\\p{Cc}]/u.test(decoded)) return true;
  const segments = decoded.split('/').slice(1);
  return segments.some((segment, i) => segment.startsWith('.') || (segment === '' && i < segments.length - 1));
}

type Coding = 'br' | 'gzip' | 'identity';
const SUFFIX: Record<Coding, string> = { br: '.br', gzip: '.gz', identity: '' };

/**
 * The content codings to try, best first, from an Accept-Encoding header: highest q first, ties
 * broken by our preference (br, gzip, identity). Unlisted codings take the q of `*` (none without
 * it); unlisted identity takes the q of `*`, or else the lowest q listed (as `negotiator` does:
 * `gzip;q=0.8` asks for gzip over the plain file). Identity always ends the list, even when the
 * client refuses it: the plain file is sent rather than a 406.
 */
export function codingsFor(acceptEncoding: string | undefined): Coding[] {
  const q: Partial<Record<Coding | '*', number>> = {};
  let lowest = 1;
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    let weight = 1;
    for (const param of params) {
      const match = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.exec(param);
      if (param.startsWith('q=')) weight = match ? Number(match[1]) : 0;
    }
    if (weight > 0) lowest = Math.min(lowest, weight);
    const coding = name === 'x-gzip' ? 'gzip' : name;
    if (coding === 'br' || coding === 'gzip' || coding === 'identity' || coding === '*') q[coding] = Math.max(q[coding] ?? 0, weight);
  }
  const weights: [Coding, number][] = [
    ['br', q.br ?? q['*'] ?? 0],
    ['gzip', q.gzip ?? q['*'] ?? 0],
    ['identity', q.identity ?? q['*'] ?? lowest],
  ];
  const accepted = weights.filter(([, w]) => w > 0).sort((a, b) => b[1] - a[1]).map(([coding]) => coding);
  return accepted.includes('identity') ? accepted : [...accepted, 'identity'];
}

/**
 * Opens the best variant of `file` the client accepts; its size comes from the open file itself,
 * so a rebuild between a stat and a read cannot make Content-Length lie.
 */
async function openBest(file: string, codings: Coding[]): Promise<{ handle: FileHandle; coding: Coding; size: number; mtimeMs: number } | null> {
  for (const coding of codings) {
    let handle: FileHandle | undefined;
    try {
      handle = await open(file + SUFFIX[coding], 'r');
      const stats = await handle.stat();
      if (stats.isFile()) return { handle, coding, size: stats.size, mtimeMs: stats.mtimeMs };
      await handle.close();
      if (coding === 'identity') return null;
    } catch (error) {
      await handle?.close();
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    }
  }
  return null;
}

function sendFile(req: Request, res: Response, next: NextFunction, file: string, cacheControl: string, missing: () => void): void {
  void (async () => {
    const found = await openBest(file, codingsFor(req.header('accept-encoding')));
    if (!found) return missing();
    const { handle, coding, size, mtimeMs } = found;
    try {
      res.vary('Accept-Encoding');
      res.setHeader('Cache-Control', cacheControl);
      res.setHeader('ETag', `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}-${coding}"`);
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      res.type(path.extname(file) || 'application/octet-stream');
      if (coding !== 'identity') res.setHeader('Content-Encoding', coding);
      res.setHeader('Content-Length', String(size));
      if (req.method === 'HEAD') {
        res.status(200).end();
        return;
      }
      res.status(200);
      await pipeline(handle.createReadStream({ autoClose: false }), res);
    } finally {
      await handle.close();
    }
  })().catch((error: unknown) => {
    // A client that goes away mid-file is not an error of ours.
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    if (res.headersSent) res.destroy();
    else next(error);
  });
}
