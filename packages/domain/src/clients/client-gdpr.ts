import { auditAs } from '../audit/record-audit.ts';
import { loadClient } from '../shared/load-client.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict } from '../shared/errors.ts';
import { clientReferences, sqlIdentifier } from './client-references.ts';
import { derivedColumns, toClientView } from './client-view.ts';
import type { TAnonymiseClientInput, TClientIdInput } from './clients.schema.ts';

const load = (deps: TenantDeps, clientId: string) => loadClient(deps, clientId);

/**
 * Everything the organisation holds about a client, as JSON (right of access and portability):
 * the client, every row of every table that references it, its history (audit entries) and the
 * events that named it. Exporting is itself recorded.
 */
export async function exportClientData(deps: TenantDeps, input: TClientIdInput) {
  const { tx, actor, now } = deps;
  const client = await load(deps, input.clientId);
  const related: Record<string, unknown[]> = {};
  for (const ref of await clientReferences(tx)) {
    const rows = await tx.$queryRawUnsafe<{ row: unknown }[]>(
      `SELECT to_jsonb(t) AS row FROM ${sqlIdentifier(ref.table)} t WHERE t.tenant_id = $1::uuid AND t.${sqlIdentifier(ref.column)} = $2::uuid ORDER BY t.created_at`,
      actor.tenantId,
      client.id,
    );
    if (rows.length > 0) related[ref.table] = [...(related[ref.table] ?? []), ...rows.map((r) => r.row)];
  }
  const [history, events] = await Promise.all([
    tx.auditLog.findMany({
      where: { tenantId: actor.tenantId, entityType: 'client', entityId: client.id },
      select: { action: true, data: true, createdAt: true, actorUserId: true },
      orderBy: { createdAt: 'asc' },
    }),
    tx.outboxEvent.findMany({
      where: { tenantId: actor.tenantId, clientId: client.id },
      select: { type: true, payload: true, occurredAt: true },
      orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
    }),
  ]);
  await auditAs(tx, actor, { action: 'client.data_exported', entityType: 'client', entityId: client.id });
  return {
    exportedAt: now.toISOString(),
    client: toClientView(client),
    related,
    history: history.map((h) => ({ ...h, createdAt: h.createdAt.toISOString() })),
    events: events.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
  };
}

/**
 * Right to erasure: the person's identity and contact details are blanked, free texts about them
 * emptied, and the client archived. What accounting law requires (the client's id, so invoices
 * and payments still add up; company identifiers, which are not personal data; the country)
 * stays. Irreversible, and recorded without the erased values.
 */
export async function anonymiseClient(deps: TenantDeps, input: TAnonymiseClientInput) {
  const { tx, actor, now } = deps;
  const client = await load(deps, input.clientId);
  if (client.anonymisedAt) throw conflict('Ce client est déjà anonymisé');
  const person = client.kind === 'person';
  const blank = {
    civility: null,
    firstName: null,
    lastName: person ? 'ANONYMISÉ' : null,
    companyName: person ? null : client.companyName,
    email: null,
    phone: null,
    mobile: null,
    addressLine1: null,
    addressLine2: null,
    postalCode: null,
    city: null,
    birthDate: null,
    source: null,
    tags: [],
    notes: '',
    marketingConsent: false,
    marketingConsentAt: null,
  };
  const updated = await tx.client.update({
    where: { id: client.id },
    data: {
      ...blank,
      ...derivedColumns({ ...client, ...blank }),
      status: 'archived',
      statusBeforeArchive: client.status === 'archived' ? client.statusBeforeArchive : client.status,
      anonymisedAt: now,
    },
  });
  // A company's contacts are people: their identity and details go too (the rows stay, as the client's).
  await tx.clientContact.updateMany({
    where: { tenantId: actor.tenantId, clientId: client.id },
    data: { civility: null, firstName: null, lastName: 'ANONYMISÉ', role: null, email: null, phone: null, mobile: null },
  });
  // Free texts written about the person: activities and appointments keep their dates and kinds.
  await tx.activity.updateMany({ where: { tenantId: actor.tenantId, clientId: client.id }, data: { subject: 'Activité anonymisée', body: '' } });
  await tx.appointment.updateMany({ where: { tenantId: actor.tenantId, clientId: client.id }, data: { title: 'Rendez-vous anonymisé', notes: '', location: '' } });
  // Event history kept for the organisation's records names the client only by id from now on.
  await tx.$executeRaw`
    UPDATE outbox_events SET payload = jsonb_set(payload, '{displayName}', to_jsonb(${updated.displayName}::text))
    WHERE tenant_id = ${actor.tenantId}::uuid AND client_id = ${client.id}::uuid AND payload ? 'displayName'`;
  // Issued invoices and credit notes are kept as issued, names and addresses included: the law
  // requires them for ten years in their original form (C. com. L123-22, LPF L102 B; GDPR art.
  // 17(3)(b), a legal obligation). The answer says so, with how many were kept.
  const keptInvoices = await tx.invoice.count({ where: { tenantId: actor.tenantId, clientId: client.id, status: { not: 'draft' } } });
  await auditAs(tx, actor, { action: 'client.anonymised', entityType: 'client', entityId: client.id, data: { reason: input.reason ?? null, keptInvoices } });
  return {
    ...toClientView(updated),
    legalRetention: {
      keptInvoices,
      notice:
        keptInvoices > 0
          ? `${keptInvoices} facture(s) ou avoir(s) émis sont conservés tels qu’émis pendant dix ans (obligation légale, article L123-22 du Code de commerce).`
          : null,
    },
  };
}
