import { withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import type {
  DomainError} from '../src/index.ts';
import {
  changeProductPrice,
  createProduct,
  listProducts,
  updateProduct,
  ZCreateProductInput,
  ZListProductsInput,
  type TenantDeps,
} from '../src/index.ts';
import { newTenant, testAuthDeps } from './harness.ts';

async function tenant(now = new Date('2026-11-24T10:00:00Z')) {
  const auth = testAuthDeps();
  const owner = await newTenant(auth);
  const member = await withTenant(auth.db, owner.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: owner.userId } }));
  return <R>(f: (deps: TenantDeps) => Promise<R>) =>
    withTenant(auth.db, owner.tenantId, (tx) => f({ tx, now, actor: { userId: owner.userId, tenantId: owner.tenantId, memberId: member.id, role: 'owner' } }));
}

describe('products', () => {
  it('keeps a price history and shows the price in effect on a day', async () => {
    const run = await tenant();
    const product = await run((deps) =>
      createProduct(deps, ZCreateProductInput.parse({ code: 'elec-base', name: 'Électricité Base', priceCents: 4_990, vatRateCode: 'NORMAL', billingFrequency: 'monthly', effectiveFrom: '2026-01-01' })),
    );
    expect(product).toMatchObject({ code: 'ELEC-BASE', priceCents: 4_990 });
    await run((deps) => changeProductPrice(deps, { productId: product.id, priceCents: 5_290, effectiveFrom: '2027-01-01' }));
    await run((deps) => changeProductPrice(deps, { productId: product.id, priceCents: 4_790, effectiveFrom: '2026-06-01' }));
    const priceOn = async (on: string) => (await run((deps) => listProducts(deps, ZListProductsInput.parse({ on }))))[0]!.priceCents;
    expect(await priceOn('2026-03-01')).toBe(4_990);
    expect(await priceOn('2026-11-24')).toBe(4_790);
    expect(await priceOn('2027-02-01')).toBe(5_290);
    expect(await priceOn('2025-12-31')).toBeNull();
  });

  it('refuses a duplicate code and an unknown VAT rate on the right fields', async () => {
    const run = await tenant();
    const input = ZCreateProductInput.parse({ code: 'GAZ', name: 'Gaz', priceCents: 3_000, vatRateCode: 'NORMAL', billingFrequency: 'monthly' });
    await run((deps) => createProduct(deps, input));
    const duplicate = await run((deps) => createProduct(deps, input)).catch((e: unknown) => e as DomainError);
    expect(duplicate).toMatchObject({ code: 'CONFLICT', fieldErrors: { code: ['Ce code existe déjà'] } });
    const badVat = await run((deps) => createProduct(deps, { ...input, code: 'GAZ2', vatRateCode: 'TVA-99' })).catch((e: unknown) => e as DomainError);
    expect(badVat).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { vatRateCode: ['Taux de TVA inconnu'] } });
  });

  it('deactivates a product and filters on it', async () => {
    const run = await tenant();
    const product = await run((deps) =>
      createProduct(deps, ZCreateProductInput.parse({ code: 'OLD', name: 'Ancienne offre', priceCents: 100, vatRateCode: 'REDUIT', billingFrequency: 'yearly' })),
    );
    await run((deps) => updateProduct(deps, { productId: product.id, active: false }));
    expect(await run((deps) => listProducts(deps, ZListProductsInput.parse({ active: true })))).toEqual([]);
    expect((await run((deps) => listProducts(deps, ZListProductsInput.parse({ active: false }))))[0]).toMatchObject({ code: 'OLD', active: false });
  });
});
