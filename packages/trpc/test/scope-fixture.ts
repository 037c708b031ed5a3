import { newId, withTenant, type Role } from '@crm/db';
import type { CrmServices } from '../src/index.ts';
import { addMember, callAs, tenantWithOwner } from './harness.ts';

/**
 * One organisation with a member of every role and records inside and outside each one's scope,
 * for the scope sweeps (procedures in packages/trpc, file routes in apps/api). Every record out
 * of someone's scope carries a marker in its text, so a sweep can assert that no answer given
 * to that someone contains it.
 */

export const SWEPT_ROLES = ['owner', 'admin', 'manager', 'sales', 'accountant', 'viewer'] as const satisfies readonly Role[];
export type SweptRole = (typeof SWEPT_ROLES)[number];

/** The IBAN of the out-of-scope client's mandate (unique to it in the organisation). */
export const OUTSIDE_IBAN = 'DE89370400440532013000';

/**
 * Kinds of record, with the roles they are out of scope for and the markers their data carries.
 * The manager is linked to a rep with a team; the sales member to a rep of that team.
 */
export const TARGETS = {
  /** A client of a rep outside the team, and all that hangs on it: contract, mandate, items, payment, document, activity, appointment, invoice, letter. */
  client: { hiddenFrom: ['manager', 'sales'], markers: ['ZXQ', OUTSIDE_IBAN] },
  /** A private task (no client) of a sales member outside the team. */
  privateTask: { hiddenFrom: ['manager', 'sales', 'accountant', 'viewer'], markers: ['QWK'] },
  /** The details of an appointment without a client of a sales member outside the team. */
  privateAppointment: { hiddenFrom: ['manager', 'sales'], markers: ['JVB'] },
  /** What holds every debtor at once: a SEPA batch and its file, a bank return file. */
  organisation: { hiddenFrom: ['manager', 'sales'], markers: ['PLX'] },
  /** A client import someone else (an admin) uploaded. */
  clientImport: { hiddenFrom: ['manager', 'sales', 'accountant', 'viewer'], markers: ['IMPK'] },
  /** The owner's own notification. */
  notification: { hiddenFrom: ['admin', 'manager', 'sales', 'accountant', 'viewer'], markers: ['NTFW'] },
  /** A rep outside the manager's team (the reps are a directory: only changing them is out of scope). */
  team: { hiddenFrom: ['manager', 'sales'], markers: [] },
  /** Nothing in particular: lists and settings, checked for the markers hidden from the caller. */
  none: { hiddenFrom: [], markers: [] },
} as const satisfies Record<string, { hiddenFrom: readonly SweptRole[]; markers: readonly string[] }>;
export type Target = keyof typeof TARGETS;

export const isHidden = (target: Target, role: SweptRole): boolean => (TARGETS[target].hiddenFrom as readonly SweptRole[]).includes(role);

/** Every marker of data out of `role`'s scope: no answer to that role may contain one. */
export function markersHiddenFrom(role: SweptRole): string[] {
  return Object.values(TARGETS).flatMap((t) => ((t.hiddenFrom as readonly SweptRole[]).includes(role) ? [...t.markers] : []));
}

/** A Paris day `offset` days from today, as the appointment forms send it. */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function scopeOrganisation(services: CrmServices) {
  const owner = await tenantWithOwner(services, 'Organisation balayée');
  const tenantId = owner.tenantId;
  const ownerMember = (await owner.caller.members.list()).find((m) => m.isMe)!;
  const added = {
    admin: await addMember(services, owner, 'admin'),
    manager: await addMember(services, owner, 'manager'),
    sales: await addMember(services, owner, 'sales'),
    accountant: await addMember(services, owner, 'accountant'),
    viewer: await addMember(services, owner, 'viewer'),
  };
  // A sales member outside the manager's team: the owner of the private records.
  const outsider = await addMember(services, owner, 'sales');
  const members: Record<SweptRole, { userId: string; memberId: string; token: string; refreshToken: string; caller: typeof owner.caller }> = {
    owner: { userId: owner.userId, memberId: ownerMember.id, token: owner.session.accessToken, refreshToken: owner.session.refresh.token, caller: owner.caller },
    ...(Object.fromEntries(
      Object.entries(added).map(([role, m]) => [role, { userId: m.userId, memberId: m.memberId, token: m.grant.accessToken, refreshToken: m.refreshToken, caller: m.caller }]),
    ) as Record<Exclude<SweptRole, 'owner'>, { userId: string; memberId: string; token: string; refreshToken: string; caller: typeof owner.caller }>),
  };

  const lead = await owner.caller.salesReps.create({ firstName: 'Léa', lastName: 'Chef', userId: added.manager.userId, team: 'Sud' });
  const rep = await owner.caller.salesReps.create({ firstName: 'Jean', lastName: 'Équipe', userId: added.sales.userId, managerId: lead.id });
  const otherRep = await owner.caller.salesReps.create({ firstName: 'Paul', lastName: 'Ailleurs', userId: outsider.userId });

  const teamClient = (await owner.caller.clients.create({ kind: 'company', companyName: 'Client Équipe', salesRepId: rep.id })).client!;
  const client = (await owner.caller.clients.create({ kind: 'company', companyName: 'Hors Périmètre ZXQ', email: 'zxq@example.test', salesRepId: otherRep.id }))
    .client!;
  const product = await owner.caller.products.create({ code: 'ABO', name: 'Abonnement', priceCents: 2_500, vatRateCode: 'NORMAL', billingFrequency: 'monthly' });
  const [listItem] = await owner.caller.lists.items({ kind: 'client_source' });
  const invitation = await owner.caller.invitations.create({ email: 'en.attente@example.test', role: 'viewer' });
  const commissionPlan = await owner.caller.commissions.createPlan({ name: 'Plan de base', isDefault: true, effectiveFrom: '2026-01-01', rules: {} });

  const activity = await owner.caller.activities.create({ kind: 'call', subject: 'Appel ZXQ', clientId: client.id });
  const privateTask = await owner.caller.activities.create({ kind: 'task', subject: 'Tâche privée QWK', ownerUserId: outsider.userId });
  const appointment = (
    await owner.caller.appointments.create({
      title: 'RDV ZXQ', location: 'Lieu ZXQ', notes: 'Notes ZXQ', clientId: client.id, startsAt: `${day(2)}T09:00`, endsAt: `${day(2)}T10:00`,
    })
  ).appointment!;
  // Attended by the sales member and the manager: they see it, never its client's name.
  const sharedAppointment = (
    await owner.caller.appointments.create({
      title: 'Visite commune', clientId: client.id, attendeeUserIds: [added.sales.userId, added.manager.userId],
      startsAt: `${day(2)}T14:00`, endsAt: `${day(2)}T15:00`,
    })
  ).appointment!;
  const privateAppointment = (
    await owner.caller.appointments.create({
      title: 'RDV privé JVB', location: 'Lieu JVB', notes: 'Notes JVB', ownerUserId: outsider.userId,
      startsAt: `${day(3)}T09:00`, endsAt: `${day(3)}T10:00`,
    })
  ).appointment!;

  // Payments, as the contracts domain and the payments consumer leave them, written directly.
  const records = await withTenant(services.db, tenantId, async (tx) => {
    const contract = await tx.contract.create({
      data: {
        tenantId, number: 'CT-ZXQ-1', clientId: client.id, salesRepId: otherRep.id, status: 'active', billingFrequency: 'monthly',
        startDate: new Date('2026-01-01'), durationMonths: 12, paymentMethod: 'sepa_debit', debtorName: 'Débiteur ZXQ', debtorIban: OUTSIDE_IBAN,
        signedOn: new Date('2025-12-15'), lines: { create: [{ label: 'Abonnement ZXQ', quantity: 1, unitPriceCents: 2_500, vatRateBasisPoints: 2_000, position: 0 }] },
      },
    });
    const mandate = await tx.sepaMandate.create({
      data: { tenantId, clientId: client.id, contractId: contract.id, rum: 'RUM-ZXQ-1', debtorName: 'Débiteur ZXQ', iban: OUTSIDE_IBAN, signedOn: new Date('2025-12-15'), signedPlace: 'Lyon' },
    });
    const batch = await tx.sepaBatch.create({
      data: { tenantId, number: 1, messageId: 'PRLV-PLX-1', collectionDate: new Date('2026-02-05'), format: 'pain.008.001.08', itemCount: 1, totalCents: 3_000n },
    });
    await tx.sepaBatchFile.create({
      data: { tenantId, batchId: batch.id, sha256: '2'.repeat(64), xml: `<Document><MsgId>PRLV-PLX-1</MsgId><Nm>Debiteur ZXQ</Nm><IBAN>${OUTSIDE_IBAN}</IBAN></Document>` },
    });
    const item = (period: number, extra: Record<string, unknown> = {}) =>
      tx.scheduleItem.create({
        data: {
          tenantId, contractId: contract.id, clientId: client.id, mandateId: mandate.id, periodStart: new Date(`2026-0${period}-01`),
          periodEnd: new Date(`2026-0${period}-28`), dueDate: new Date(`2026-0${period}-05`), amountCents: 3_000, paymentMethod: 'sepa_debit', ...extra,
        },
      });
    const paidItem = await item(1, { status: 'paid' });
    await item(2, { status: 'batched', batchId: batch.id, sequenceType: 'FRST', endToEndId: 'E2E-PLX-1' });
    const plannedItem = await item(3);
    const returnFile = await tx.bankReturnFile.create({ data: { tenantId, fileName: 'retours-PLX.csv', kind: 'csv', sha256: '3'.repeat(64) } });
    await tx.payment.create({
      data: { tenantId, scheduleItemId: paidItem.id, contractId: contract.id, clientId: client.id, outcome: 'received', method: 'sepa_debit', amountCents: 3_000, valueDate: new Date('2026-01-07'), reference: 'Virement ZXQ', returnFileId: returnFile.id },
    });
    // A rejected debit (the rejects queue), its re-presentation decided and planned.
    const rejectedItem = await item(4, { status: 'rejected', sequenceType: 'RCUR', endToEndId: 'E2E-PLX-4' });
    const rejection = await tx.payment.create({
      data: {
        tenantId, scheduleItemId: rejectedItem.id, contractId: contract.id, clientId: client.id, outcome: 'rejected', method: 'sepa_debit', amountCents: 3_000,
        valueDate: new Date('2026-04-07'), reasonCode: 'AM04', reasonCategory: 'insufficient_funds', rTransaction: 'reject', returnFileId: returnFile.id,
      },
    });
    const represented = await item(5, { attempt: 2, originalItemId: rejectedItem.id });
    await tx.paymentRetry.create({
      data: {
        tenantId, paymentId: rejection.id, scheduleItemId: rejectedItem.id, clientId: client.id, contractId: contract.id, attempt: 1, decision: 'represent',
        representedItemId: represented.id, collectionDate: new Date('2026-05-05'), decidedBy: 'system:retries',
      },
    });
    const document = await tx.document.create({
      data: {
        tenantId, clientId: client.id, contractId: contract.id, kind: 'other', fileName: 'zxq.pdf', mimeType: 'application/pdf', sizeBytes: 1,
        sha256: '0'.repeat(64), storageKey: `${tenantId}/2026/01/${newId()}`,
      },
    });
    const clientImport = await tx.clientImport.create({
      data: {
        tenantId, createdBy: added.admin.userId, fileName: 'import-IMPK.csv', chunks: { create: { seq: 0, bytes: Buffer.from('Nom;Email\nDupont IMPK;zxq@example.test\n') } },
        encoding: 'utf-8', delimiter: ';', mapping: { columns: ['lastName', 'email'] }, validRows: 1, totalRows: 1, clientScope: 'all',
      },
    });
    const notification = await tx.notification.create({ data: { tenantId, userId: owner.userId, type: 'member.joined', title: 'Notif NTFW' } });
    const deadLetter = await tx.deadLetter.create({
      data: { tenantId, consumer: 'dashboard', eventId: newId(), eventType: 'client.created', envelope: { payload: { displayName: 'Hors Périmètre ZXQ' } }, error: 'x', attempts: 1 },
    });
    const contact = await tx.clientContact.create({ data: { tenantId, clientId: client.id, lastName: 'Contact ZXQ', email: 'contact.zxq@example.test' } });
    const invoice = await tx.invoice.create({
      data: {
        tenantId, series: 'b2c', clientId: client.id, contractId: contract.id, mandateId: mandate.id, buyerKind: 'consumer', netCents: 2_500, vatCents: 500, grossCents: 3_000,
        purchaseOrder: 'BC-ZXQ', lines: { create: [{ position: 1, label: 'Facture ZXQ', quantity: 1, unitPriceCents: 2_500, netCents: 2_500, vatRateBasisPoints: 2_000 }] },
      },
    });
    // The out-of-scope rep's commission on that contract, on an issued statement (its pay: hidden like the client).
    await tx.commissionRepBalance.create({ data: { tenantId, salesRepId: otherRep.id, lastIssuedMonth: new Date('2026-01-01') } });
    await tx.commissionLine.create({
      data: {
        tenantId, salesRepId: otherRep.id, contractId: contract.id, kind: 'one_shot', trigger: 'signature', status: 'earned', amountCents: 5_000,
        occurredOn: new Date('2026-01-05'), earnedOn: new Date('2026-01-05'), statementMonth: new Date('2026-01-01'), sourceKey: 'fixture:zxq', label: 'Prime ZXQ',
      },
    });
    const commissionStatement = await tx.commissionStatement.create({
      data: {
        tenantId, salesRepId: otherRep.id, month: new Date('2026-01-01'), number: 'RC-2026-00001', commissionStatus: 'salaried', openingBalanceCents: 0, linesCents: 5_000,
        clawbacksCents: 0, adjustmentsCents: 0, totalCents: 5_000, netPayableCents: 5_000, carriedForwardCents: 0, lineCount: 1, issuedAt: new Date('2026-02-02T08:00:00Z'), issuedBy: 'fixture',
      },
    });
    const letter = await tx.letter.create({
      data: {
        tenantId, clientId: client.id, documentId: document.id, service: 'registered_with_ack', purpose: 'document', idempotencyKey: 'letter-zxq',
        addressLines: [null, 'Courrier ZXQ', null, '1 rue ZXQ', null, '75001 PARIS'], countryCode: 'FR', reference: newId().replaceAll('-', ''),
      },
    });
    return { contract, mandate, batch, plannedItem, returnFile, document, clientImport, notification, deadLetter, contact, invoice, rejection, commissionStatement, letter };
  });

  return {
    services,
    tenantId,
    members,
    outsider,
    reps: { lead, rep, other: otherRep },
    teamClient,
    client,
    product,
    listItem: listItem!,
    invitation,
    commissionPlan,
    activity,
    privateTask,
    appointment,
    sharedAppointment,
    privateAppointment,
    ...records,
    /** The caller of a role, anew (a fresh context, as each HTTP request gets); `signal` ends its subscriptions. */
    callerOf: async (role: SweptRole, signal?: AbortSignal, streamTicket?: string) =>
      // A stream's request carries the ticket and the session's refresh cookie, as a browser's does.
      (await callAs(services, members[role].token, streamTicket ? members[role].refreshToken : undefined, signal, streamTicket)).caller,
    /** A stream ticket of the role's member, for a subscription's call. */
    streamTicketOf: async (role: SweptRole) => (await (await callAs(services, members[role].token)).caller.notifications.streamTicket()).ticket,
  };
}
export type ScopeFixture = Awaited<ReturnType<typeof scopeOrganisation>>;
