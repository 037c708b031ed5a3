import { withSystem, withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import { emitEvent, eventSubject, pruneOutbox, ZEventEnvelope, type EventType } from '../src/index.ts';
import { newTenant, testAuthDeps } from './harness.ts';

describe('the outbox', () => {
  it('holds an event if and only if its transaction commits', async () => {
    const deps = testAuthDeps();
    const { tenantId } = await newTenant(deps);
    const payload = { clientId: '01900000-0000-7000-8000-000000000001', kind: 'person' as const, displayName: 'Jeanne Roux', salesRepId: null };
    await withTenant(deps.db, tenantId, async (tx) => {
      await emitEvent(tx, { type: 'client.created', tenantId, payload });
      throw new Error('the change failed after the event was written');
    }).catch(() => undefined);
    const kept = await withTenant(deps.db, tenantId, (tx) => emitEvent(tx, { type: 'client.created', tenantId, payload }));
    const rows = await withTenant(deps.db, tenantId, (tx) => tx.outboxEvent.findMany({ where: { type: 'client.created' } }));
    expect(rows.map((r) => r.id)).toEqual([kept.id]);
    // The payload's clientId is also its own column; events about no client have none.
    expect(rows[0]!.clientId).toBe(payload.clientId);
    await withTenant(deps.db, tenantId, (tx) => emitEvent(tx, { type: 'organisation.updated', tenantId, payload: { organisationId: tenantId, changedFields: [] } }));
    expect(await withTenant(deps.db, tenantId, (tx) => tx.outboxEvent.findFirstOrThrow({ where: { type: 'organisation.updated' } }))).toMatchObject({ clientId: null });
    expect(ZEventEnvelope.parse({ ...kept })).toMatchObject({ type: 'client.created', tenantId });
    expect(eventSubject(kept.type)).toBe('crm.events.client.created');
  });

  it('retention deletes old published events, but keeps those about a client and those not yet published', async () => {
    const deps = testAuthDeps();
    const { tenantId } = await newTenant(deps);
    const clientEvent = { clientId: '01900000-0000-7000-8000-000000000002', kind: 'person' as const, displayName: 'Jeanne Roux', salesRepId: null };
    const orgEvent = { organisationId: tenantId, changedFields: [] };
    const [aboutClient, old, recent, unpublished] = await withTenant(deps.db, tenantId, async (tx) => [
      await emitEvent(tx, { type: 'client.created', tenantId, payload: clientEvent }),
      await emitEvent(tx, { type: 'organisation.updated', tenantId, payload: orgEvent }),
      await emitEvent(tx, { type: 'organisation.updated', tenantId, payload: orgEvent }),
      await emitEvent(tx, { type: 'organisation.updated', tenantId, payload: orgEvent }),
    ]);
    await withSystem(deps.db, async (tx) => {
      await tx.outboxEvent.updateMany({ where: { id: { in: [aboutClient.id, old.id] } }, data: { publishedAt: new Date(Date.now() - 10 * 86_400_000) } });
      await tx.outboxEvent.update({ where: { id: recent.id }, data: { publishedAt: new Date() } });
    });
    expect(await pruneOutbox(deps.db, 7)).toBeGreaterThanOrEqual(1);
    const mine = [aboutClient.id, old.id, recent.id, unpublished.id];
    const left = await withTenant(deps.db, tenantId, (tx) => tx.outboxEvent.findMany({ where: { id: { in: mine } }, select: { id: true } }));
    expect(left.map((e) => e.id).sort()).toEqual([aboutClient.id, recent.id, unpublished.id].sort());
    await expect(pruneOutbox(deps.db, 0)).rejects.toThrow('positive integer');
  });

  it('refuses a payload that does not match the catalogue, writing nothing', async () => {
    const deps = testAuthDeps();
    const { tenantId } = await newTenant(deps);
    const bad = { invoiceId: 'not-a-uuid', clientId: 'x', number: 'FA-1', totalCents: -5, dueDate: '31/12/2026' };
    await expect(
      withTenant(deps.db, tenantId, (tx) => emitEvent(tx, { type: 'invoice.created', tenantId, payload: bad } as never)),
    ).rejects.toThrow();
    expect(await withTenant(deps.db, tenantId, (tx) => tx.outboxEvent.count({ where: { type: 'invoice.created' } }))).toBe(0);
  });

  it('cannot write an event for another tenant', async () => {
    const deps = testAuthDeps();
    const a = await newTenant(deps);
    const b = await newTenant(deps);
    await expect(
      withTenant(deps.db, a.tenantId, (tx) =>
        emitEvent(tx, { type: 'organisation.updated', tenantId: b.tenantId, payload: { organisationId: b.tenantId, changedFields: [] } }),
      ),
    ).rejects.toThrow();
  });

  it('carries the five events of the predecessor under their names', () => {
    const names: EventType[] = ['client.created', 'invoice.created', 'payment.received', 'payment.rejected', 'contract.signed'];
    for (const name of names) expect(eventSubject(name)).toBe(`crm.events.${name}`);
  });
});
