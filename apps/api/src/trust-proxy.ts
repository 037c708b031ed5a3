import { isIP } from 'node:net';
import { z } from 'zod';

/** Express's `trust proxy`: nothing, a number of hops, or the addresses of the proxies. */
export type TrustProxy = false | number | string[];

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (NAMED.has(entry)) return true;
  const [address = '', range, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(range) === 4; // a netmask, e.g. 10.0.0.0/255.0.0.0
}

/**
 * TRUST_PROXY, with Express's meaning, so the client IP the limits count is the right one:
 * `false` (default, no proxy), a hop count (`1`: one reverse proxy, the right-most address of
 * X-Forwarded-For is the client), or the proxies' addresses and subnets (`10.0.0.0/8,loopback`).
 * `true` is refused: it trusts any X-Forwarded-For, so every client could pick its own IP and
 * walk around the per-IP limits.
 */
export const ZTrustProxy = z
  .string()
  .trim()
  .default('false')
  .superRefine((value, ctx) => {
    if (value === 'true') {
      ctx.addIssue({
        code: 'custom',
        message:
          "true would trust any client's X-Forwarded-For (anyone could choose the IP the login and sign-up limits count): " +
          'give the number of proxies in front of the API (e.g. 1) or their addresses (e.g. 10.0.0.0/8,loopback)',
      });
      return;
    }
    if (value === 'false' || /^\d+$/.test(value)) return;
    const bad = value.split(',').map((entry) => entry.trim()).filter((entry) => !isProxyAddress(entry));
    if (bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `not a hop count nor proxy addresses (IP, IP/prefix, loopback, linklocal, uniquelocal): ${bad.join(', ')}` });
    }
  })
  .transform((value): TrustProxy => {
    if (value === 'false') return false;
    if (/^\d+$/.test(value)) return Number(value);
    return value.split(',').map((entry) => entry.trim());
  });
