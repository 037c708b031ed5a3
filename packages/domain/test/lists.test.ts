import { withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import { addTenantListItem, listTenantListItems, updateTenantListItem, ZListTenantListInput, type DomainError, type TenantDeps } from '../src/index.ts';
import { newTenant, testAuthDeps } from './harness.ts';

describe('per-tenant lists', () => {
  it('start with defaults, grow, rename, hide, and refuse a duplicate label', async () => {
    const auth = testAuthDeps();
    const owner = await newTenant(auth);
    const member = await withTenant(auth.db, owner.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: owner.userId } }));
    const run = <R>(f: (deps: TenantDeps) => Promise<R>) =>
      withTenant(auth.db, owner.tenantId, (tx) => f({ tx, now: new Date(), actor: { userId: owner.userId, tenantId: owner.tenantId, memberId: member.id, role: 'owner' } }));
    const labels = async (includeInactive = false) =>
      (await run((deps) => listTenantListItems(deps, ZListTenantListInput.parse({ kind: 'client_source', includeInactive })))).map((i) => i.label);
    expect(await labels()).toEqual(['Recommandation', 'Site web', 'Salon', 'Démarchage', 'Partenaire']);
    const added = await run((deps) => addTenantListItem(deps, { kind: 'client_source', label: 'Parrainage' }));
    expect((await labels()).at(-1)).toBe('Parrainage');
    await run((deps) => updateTenantListItem(deps, { itemId: added.id, label: 'Parrainage client' }));
    const [first] = await run((deps) => listTenantListItems(deps, ZListTenantListInput.parse({ kind: 'client_source' })));
    await run((deps) => updateTenantListItem(deps, { itemId: first!.id, active: false }));
    expect(await labels()).not.toContain('Recommandation');
    expect(await labels(true)).toContain('Recommandation');
    const error = await run((deps) => addTenantListItem(deps, { kind: 'client_source', label: 'Salon' })).catch((e: unknown) => e as DomainError);
    expect(error).toMatchObject({ code: 'CONFLICT', fieldErrors: { label: ['Ce libellé existe déjà'] } });
  });
});
