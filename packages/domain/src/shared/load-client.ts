import type { Client, Prisma, Tx } from '@crm/db';
import { notFound } from './errors.ts';

/**
 * A client of the actor's organisation that the member may see, read through the tenant
 * transaction: another organisation's client, one outside the member's scope (row-level
 * policies) and a made-up id all answer NOT_FOUND, the same way. With `select`, only those
 * columns are read.
 */
export async function loadClient(deps: { tx: Tx; actor: { tenantId: string } }, clientId: string): Promise<Client>;
export async function loadClient<S extends Prisma.ClientSelect>(
  deps: { tx: Tx; actor: { tenantId: string } },
  clientId: string,
  select: S,
): Promise<Prisma.ClientGetPayload<{ select: S }>>;
export async function loadClient(deps: { tx: Tx; actor: { tenantId: string } }, clientId: string, select?: Prisma.ClientSelect): Promise<unknown> {
  const client = await deps.tx.client.findFirst({ where: { id: clientId, tenantId: deps.actor.tenantId }, ...(select ? { select } : {}) });
  if (!client) throw notFound('Client');
  return client;
}
