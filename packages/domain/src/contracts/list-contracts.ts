import type { Prisma } from '@crm/db';
import { loadClient } from '../shared/load-client.ts';
import { fold } from '../shared/text.ts';
import type { TenantDeps } from '../shared/context.ts';
import { DomainError } from '../shared/errors.ts';
import { defineInstantCursor } from '../shared/keyset-cursor.ts';
import type { TContractIdInput, TListContractsInput } from './contracts.schema.ts';
import { CONTRACT_STATUS_LABELS, contractTotals, isoDay } from './contract-view.ts';
import { reloadContract } from './contract-record.ts';

const contractsCursor = defineInstantCursor('contracts/1');

/**
 * One page of contracts, newest first, by keyset on (created_at, id). Only contracts whose client
 * the actor may see (the clients' sales scope applies through the join). A client or rep filter
 * naming a row the actor cannot see answers NOT_FOUND.
 */
export async function listContracts(deps: TenantDeps, input: TListContractsInput) {
  const { tx, actor } = deps;
  if (input.clientId) await loadClient(deps, input.clientId, { id: true });
  if (input.salesRepId && !(await tx.salesRep.findFirst({ where: { id: input.salesRepId, tenantId: actor.tenantId }, select: { id: true } }))) {
    throw new DomainError('NOT_FOUND', 'Commercial introuvable');
  }
  const and: Prisma.ContractWhereInput[] = [];
  const search = input.search ? fold(input.search) : '';
  if (search) {
    and.push({
      OR: [
        { number: { contains: search, mode: 'insensitive' } },
        { client: { is: { AND: search.split(' ').map((word) => ({ searchText: { contains: word } })) } } },
      ],
    });
  }
  if (input.cursor) {
    const [at, id] = contractsCursor.decode(input.cursor);
    and.push({ createdAt: { lte: at } }, { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] });
  }
  const rows = await tx.contract.findMany({
    where: {
      tenantId: actor.tenantId,
      client: { is: { tenantId: actor.tenantId } },
      ...(input.status ? { status: input.status } : {}),
      ...(input.clientId ? { clientId: input.clientId } : {}),
      ...(input.salesRepId ? { salesRepId: input.salesRepId } : {}),
      ...(and.length > 0 ? { AND: and } : {}),
    },
    include: { lines: true, client: { select: { id: true, displayName: true } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((c) => ({
      id: c.id,
      number: c.number,
      status: c.status,
      statusLabel: CONTRACT_STATUS_LABELS[c.status],
      client: { id: c.client.id, displayName: c.client.displayName },
      salesRepId: c.salesRepId,
      billingFrequency: c.billingFrequency,
      paymentMethod: c.paymentMethod,
      startDate: isoDay(c.startDate),
      durationMonths: c.durationMonths,
      totals: contractTotals(c.lines),
      createdAt: c.createdAt.toISOString(),
    })),
    nextCursor: rows.length > input.limit && last ? contractsCursor.encode(last.createdAt, last.id) : null,
  };
}

export async function getContract(deps: TenantDeps, input: TContractIdInput) {
  return reloadContract(deps, input.contractId);
}
