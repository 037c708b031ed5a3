import {
  changeProductPrice,
  createProduct,
  getProduct,
  listProducts,
  updateProduct,
  ZChangeProductPriceInput,
  ZCreateProductInput,
  ZListProductsInput,
  ZProductIdInput,
  ZUpdateProductInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const productsRouter = {
  list: tenantProcedure.access('products.read').input(ZListProductsInput).query(({ ctx, input }) => listProducts(ctx.deps, input)),
  get: tenantProcedure.access('products.read').input(ZProductIdInput).query(({ ctx, input }) => getProduct(ctx.deps, input)),
  create: tenantProcedure.access('products.write').input(ZCreateProductInput).mutation(({ ctx, input }) => createProduct(ctx.deps, input)),
  update: tenantProcedure.access('products.write').input(ZUpdateProductInput).mutation(({ ctx, input }) => updateProduct(ctx.deps, input)),
  changePrice: tenantProcedure.access('products.write').input(ZChangeProductPriceInput).mutation(({ ctx, input }) => changeProductPrice(ctx.deps, input)),
} satisfies TRPCRouterRecord;
