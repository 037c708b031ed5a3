import { classifyDbError, type Tx } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import type {
  TChangeProductPriceInput,
  TCreateProductInput,
  TListProductsInput,
  TProductIdInput,
  TUpdateProductInput,
} from './products.schema.ts';
import { parisDay } from '../shared/paris-day.ts';

const todayIn = (now: Date) => parisDay(now);
const day = (date: Date) => date.toISOString().slice(0, 10);

async function assertVatRate(tx: Tx, code: string | undefined) {
  if (code === undefined) return;
  if (!(await tx.vatRate.findUnique({ where: { code } }))) throw badRequest('Taux de TVA inconnu', { vatRateCode: ['Taux de TVA inconnu'] });
}

type ProductWithPrices = Awaited<ReturnType<Tx['product']['findFirstOrThrow']>> & {
  prices: { priceCents: number; effectiveFrom: Date }[];
};

/** A product with the price in effect on `on` (the latest one starting on or before it) and its history. */
function toProductView(p: ProductWithPrices, on: string) {
  const history = [...p.prices].sort((a, b) => b.effectiveFrom.getTime() - a.effectiveFrom.getTime());
  const current = history.find((price) => day(price.effectiveFrom) <= on) ?? null;
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    description: p.description,
    category: p.category,
    vatRateCode: p.vatRateCode,
    billingFrequency: p.billingFrequency,
    supplyKind: p.supplyKind,
    vatExemptionReason: p.vatExemptionReason,
    active: p.active,
    priceCents: current?.priceCents ?? null,
    priceHistory: history.map((price) => ({ priceCents: price.priceCents, effectiveFrom: day(price.effectiveFrom) })),
  };
}

export async function createProduct({ tx, actor, now }: TenantDeps, input: TCreateProductInput) {
  await assertVatRate(tx, input.vatRateCode);
  const { priceCents, effectiveFrom, ...fields } = input;
  const product = await tx.product
    .create({
      data: {
        ...fields,
        tenantId: actor.tenantId,
        // The price row takes the product's tenant through the composite relation.
        prices: { create: { priceCents, effectiveFrom: new Date(effectiveFrom ?? todayIn(now)) } },
      },
      include: { prices: true },
    })
    .catch((error: unknown) => {
      if (classifyDbError(error)?.kind === 'conflict') throw conflict('Ce code existe déjà', { code: ['Ce code existe déjà'] });
      throw error;
    });
  await auditAs(tx, actor, { action: 'product.created', entityType: 'product', entityId: product.id });
  return toProductView(product, todayIn(now));
}

export async function updateProduct({ tx, actor, now }: TenantDeps, input: TUpdateProductInput) {
  const { productId, ...fields } = input;
  await assertVatRate(tx, fields.vatRateCode);
  const updated = await tx.product.updateMany({ where: { id: productId, tenantId: actor.tenantId }, data: fields });
  if (updated.count === 0) throw notFound('Produit');
  await auditAs(tx, actor, { action: 'product.updated', entityType: 'product', entityId: productId, data: { fields: Object.keys(fields) } });
  return getProduct({ tx, actor, now }, { productId });
}

/** Sets the price from a date on (replacing a price set for that same date); earlier prices stay as history. */
export async function changeProductPrice({ tx, actor, now }: TenantDeps, input: TChangeProductPriceInput) {
  const product = await tx.product.findFirst({ where: { id: input.productId, tenantId: actor.tenantId }, select: { id: true } });
  if (!product) throw notFound('Produit');
  const effectiveFrom = new Date(input.effectiveFrom);
  await tx.productPrice.upsert({
    where: { tenantId_productId_effectiveFrom: { tenantId: actor.tenantId, productId: product.id, effectiveFrom } },
    create: { tenantId: actor.tenantId, productId: product.id, priceCents: input.priceCents, effectiveFrom },
    update: { priceCents: input.priceCents },
  });
  await auditAs(tx, actor, {
    action: 'product.price_changed',
    entityType: 'product',
    entityId: product.id,
    data: { priceCents: input.priceCents, effectiveFrom: input.effectiveFrom },
  });
  return getProduct({ tx, actor, now }, { productId: product.id });
}

export async function getProduct({ tx, actor, now }: TenantDeps, input: TProductIdInput) {
  const product = await tx.product.findFirst({ where: { id: input.productId, tenantId: actor.tenantId }, include: { prices: true } });
  if (!product) throw notFound('Produit');
  return toProductView(product, todayIn(now));
}

export async function listProducts({ tx, actor, now }: TenantDeps, input: TListProductsInput) {
  const products = await tx.product.findMany({
    where: {
      tenantId: actor.tenantId,
      ...(input.active === undefined ? {} : { active: input.active }),
      ...(input.category ? { category: input.category } : {}),
      ...(input.search
        ? { OR: [{ name: { contains: input.search, mode: 'insensitive' } }, { code: { contains: input.search, mode: 'insensitive' } }] }
        : {}),
    },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    include: { prices: true },
    take: 500,
  });
  const on = input.on ?? todayIn(now);
  return products.map((p) => toProductView(p, on));
}
