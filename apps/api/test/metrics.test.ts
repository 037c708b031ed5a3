import { randomBytes } from 'node:crypto';
import { withTenant } from '@crm/db';
import { newId } from '@crm/db';
import { testAuthDeps } from '@crm/domain/testing';
import { describe, expect, it } from 'vitest';
import { useApiServer } from './api-server.ts';

// GET /metrics (apps/api/src/metrics.ts): Prometheus text behind METRICS_TOKEN, procedure
// latency labelled by the declared procedure only, and the outbox backlog across tenants.
const services = testAuthDeps();
const token = randomBytes(24).toString('base64url');
const api = useApiServer(services, { metrics: { token, openWithoutToken: false } });
const closed = useApiServer(services, { metrics: { openWithoutToken: false } });
const open = useApiServer(services, { metrics: { openWithoutToken: true } });

const scrape = async (server = api, authorization: string | null = `Bearer ${token}`) => {
  const response = await fetch(`${server.base()}/metrics`, authorization ? { headers: { authorization } } : {});
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};

/** The value of one sample (`name{labels} value`), or undefined when it is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[4]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('refuses a scrape without the token, with another token or with a member access token', async () => {
    const member = await api.signUp('Metriques Refus');
    expect((await scrape(api, null)).status).toBe(401);
    expect((await scrape(api, `Bearer ${token}x`)).status).toBe(401);
    expect((await scrape(api, `Bearer ${member.token}`)).status).toBe(401);
    expect((await scrape(api, token)).status).toBe(401); // not as a bearer
    const answered = await scrape();
    expect(answered.status).toBe(200);
    expect(answered.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(answered.text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0); // prom-client default metrics
  });

  it('answers 404 without a token when closed (production), and opens without one when told (development)', async () => {
    expect((await scrape(closed, null)).status).toBe(404);
    expect((await scrape(closed, `Bearer ${token}`)).status).toBe(404);
    expect((await scrape(open, null)).status).toBe(200);
  });

  it('times each procedure call by its declared path and outcome, never by an id or input', async () => {
    const { token: member } = await api.signUp('Metriques Procedures');
    const before = (await scrape()).text;
    const created = sample(before, 'crm_trpc_procedure_duration_seconds_count', { procedure: 'clients.create', code: 'OK' }) ?? 0;
    const missing = sample(before, 'crm_trpc_procedure_duration_seconds_count', { procedure: 'clients.get', code: 'NOT_FOUND' }) ?? 0;
    const marker = `Zq${randomBytes(6).toString('hex')}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await api.data<{ client: { id: string } }>(member, 'clients.create', { kind: 'company', companyName: `${marker} ${i}` })).client.id);
    const unknownId = newId();
    expect((await api.call(member, 'clients.get', { clientId: unknownId }, 'GET')).status).toBe(404);
    expect((await api.call(member, 'clients.create', { kind: 'company', companyName: '' })).status).toBe(400);

    const after = (await scrape()).text;
    expect(sample(after, 'crm_trpc_procedure_duration_seconds_count', { procedure: 'clients.create', type: 'mutation', code: 'OK' })).toBe(created + 3);
    expect(sample(after, 'crm_trpc_procedure_duration_seconds_count', { procedure: 'clients.get', type: 'query', code: 'NOT_FOUND' })).toBe(missing + 1);
    expect(sample(after, 'crm_trpc_procedure_duration_seconds_count', { procedure: 'clients.create', code: 'BAD_REQUEST' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'crm_trpc_procedure_duration_seconds_bucket', { procedure: 'clients.create', code: 'OK', le: '+Inf' })).toBe(created + 3);
    // Nothing of the calls but their procedure: no id, no input, no tenant, no token.
    for (const secret of [...ids, unknownId, marker, member]) expect(after).not.toContain(secret);
    const procedureLabels = new Set([...after.matchAll(/procedure="([^"]*)"/g)].map((m) => m[1]));
    for (const label of procedureLabels) expect(label).toMatch(/^[a-zA-Z]+(\.[a-zA-Z]+)+$/);
  });

  it('times file routes by their pattern, not their URL', async () => {
    const { token: member } = await api.signUp('Metriques Routes');
    const id = newId();
    const response = await fetch(`${api.base()}/batches/${id}/file`, { headers: { authorization: `Bearer ${member}` } });
    expect(response.status).toBe(404);
    const text = (await scrape()).text;
    expect(sample(text, 'crm_http_request_duration_seconds_count', { route: '/batches/:id/file', method: 'GET', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(id);
  });

  it('shows the outbox backlog of every tenant and the dead letters as counts', async () => {
    const a = await api.signUp('Metriques Outbox A');
    const b = await api.signUp('Metriques Outbox B');
    const before = (await scrape()).text;
    const backlog = sample(before, 'crm_outbox_unpublished_events')!;
    const dead = sample(before, 'crm_dead_letters')!;
    expect(sample(before, 'crm_event_backlog_up')).toBe(1);
    expect(backlog).toBeGreaterThanOrEqual(0);
    // No worker runs here: each client created is one more unpublished event, whichever the tenant.
    await api.data(a.token, 'clients.create', { kind: 'company', companyName: 'Outbox A1' });
    await api.data(a.token, 'clients.create', { kind: 'company', companyName: 'Outbox A2' });
    await api.data(b.token, 'clients.create', { kind: 'company', companyName: 'Outbox B1' });
    await withTenant(services.db, b.tenantId, (tx) =>
      tx.deadLetter.create({ data: { tenantId: b.tenantId, consumer: 'metrics-test', eventId: newId(), eventType: 'client.created', envelope: {}, error: 'x', attempts: 5 } }),
    );

    const after = (await scrape()).text;
    expect(sample(after, 'crm_outbox_unpublished_events')).toBeGreaterThanOrEqual(backlog + 3);
    expect(sample(after, 'crm_outbox_oldest_unpublished_age_seconds')).toBeGreaterThan(0);
    expect(sample(after, 'crm_dead_letters')).toBeGreaterThanOrEqual(dead + 1);
    expect(after).not.toContain(a.tenantId);
    expect(after).not.toContain(b.tenantId);
    // The API's own connection pool.
    expect(sample(after, 'crm_db_pool_connections', { state: 'max' })).toBeGreaterThan(0);
    expect(sample(after, 'crm_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
  });
});
