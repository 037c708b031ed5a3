import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { CrmServices } from '@crm/trpc';
import { newTenant } from '@crm/domain/testing';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createApp, type AppOptions } from '../src/app.ts';

export interface ApiServer {
  /** `http://127.0.0.1:<port>`, once the server listens. */
  base: () => string;
  /** A procedure over HTTP as the web app calls it: the status and the JSON body. */
  call: (token: string, path: string, input: unknown, method?: 'GET' | 'POST') => Promise<{ status: number; json: any }>;
  /** A procedure's data, or an error naming the procedure and what it answered. */
  data: <T = any>(token: string, path: string, input: unknown, method?: 'GET' | 'POST') => Promise<T>;
  /** A new user in a new organisation of their own (signed up and verified): their access token and tenant. */
  signUp: (label: string) => Promise<{ token: string; tenantId: string }>;
}

/**
 * The real Express app on a free local port for one test file (or `describe`): listening before
 * its tests, closed after. `services` may be a function when they are built in a `beforeAll`.
 */
export function useApiServer(services: CrmServices | (() => CrmServices), options: Partial<AppOptions> = {}): ApiServer {
  let server: Server;
  let base = '';
  const resolved = () => (typeof services === 'function' ? services() : services);
  beforeAll(async () => {
    const app = createApp({ services: resolved(), log: pino({ level: 'silent' }), readiness: [], webOrigin: 'http://web.example.test', secureCookies: false, ...options });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const call: ApiServer['call'] = async (token, path, input, method = 'POST') => {
    const url = `${base}/trpc/${path}${method === 'GET' ? `?input=${encodeURIComponent(JSON.stringify(input))}` : ''}`;
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(method === 'POST' ? { body: JSON.stringify(input) } : {}),
    });
    return { status: response.status, json: (await response.json()) as any };
  };
  return {
    base: () => base,
    call,
    data: async <T,>(token: string, path: string, input: unknown, method?: 'GET' | 'POST') => {
      const { json } = await call(token, path, input, method);
      if (!json.result) throw new Error(`${path}: ${JSON.stringify(json.error)}`);
      return json.result.data as T;
    },
    signUp: async (label) => {
      const { session, tenantId } = await newTenant(resolved(), `${label} SARL`);
      return { token: session.accessToken, tenantId };
    },
  };
}
