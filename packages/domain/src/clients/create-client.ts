import type { Tx } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import { emitEvent } from '../events/emit-event.ts';
import type { TenantDeps } from '../shared/context.ts';
import { salesRepForNewClient } from '../sales-reps/sales-rep-view.ts';
import { clientColumns } from './client-fields.ts';
import { derivedColumns, toClientView } from './client-view.ts';
import { CLIENT_STATUSES, type TCreateClientInput } from './clients.schema.ts';

export interface DuplicateCandidate {
  id: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  siret: string | null;
  reasons: ('email' | 'phone' | 'siret' | 'name_birth_date')[];
}

/** Clients that are probably the same: same email, phone, SIRET, or same name and birth date. */
export async function findDuplicateClients(tx: Tx, tenantId: string, c: TCreateClientInput): Promise<DuplicateCandidate[]> {
  const phones = [c.phone, c.mobile].filter((p): p is string => Boolean(p));
  const { sortName } = derivedColumns(c);
  const or = [
    ...(c.email ? [{ email: c.email }] : []),
    ...(phones.length ? [{ phone: { in: phones } }, { mobile: { in: phones } }] : []),
    ...(c.siret ? [{ siret: c.siret }] : []),
    ...(c.birthDate ? [{ sortName, birthDate: new Date(c.birthDate) }] : []),
  ];
  if (or.length === 0) return [];
  const found = await tx.client.findMany({ where: { tenantId, OR: or, status: { in: [...CLIENT_STATUSES] } }, take: 10 });
  return found.map((d) => ({
    id: d.id,
    displayName: d.displayName,
    email: d.email,
    phone: d.phone ?? d.mobile,
    siret: d.siret,
    reasons: [
      ...(c.email && d.email === c.email ? (['email'] as const) : []),
      ...(phones.some((p) => p === d.phone || p === d.mobile) ? (['phone'] as const) : []),
      ...(c.siret && d.siret === c.siret ? (['siret'] as const) : []),
      ...(c.birthDate && d.sortName === sortName && d.birthDate?.toISOString().slice(0, 10) === c.birthDate ? (['name_birth_date'] as const) : []),
    ],
  }));
}

/**
 * Creates a client, announced by `client.created`. Likely duplicates stop the creation and come
 * back as candidates, unless the user confirms with `ignoreDuplicates`.
 */
export async function createClient(deps: TenantDeps, input: TCreateClientInput) {
  const { tx, actor, now } = deps;
  const salesRepId = await salesRepForNewClient(deps, input.salesRepId);
  const duplicates = await findDuplicateClients(tx, actor.tenantId, input);
  if (duplicates.length > 0 && !input.ignoreDuplicates) return { client: null, duplicates };
  const client = await tx.client.create({
    data: {
      ...(clientColumns(input, now) as object),
      tenantId: actor.tenantId,
      kind: input.kind,
      salesRepId,
      ...derivedColumns(input),
    } as never,
  });
  await emitEvent(tx, {
    type: 'client.created',
    tenantId: actor.tenantId,
    payload: { clientId: client.id, kind: client.kind, displayName: client.displayName, salesRepId: client.salesRepId },
  });
  await auditAs(tx, actor, { action: 'client.created', entityType: 'client', entityId: client.id });
  return { client: toClientView(client), duplicates };
}
