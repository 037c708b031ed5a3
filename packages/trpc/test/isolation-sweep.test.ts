import { newId, withTenant } from '@crm/db';
import type { AnyProcedure } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { ensureDunningPlans } from '@crm/domain';
import { appRouter } from '../src/index.ts';
import { addMember, callAs, tenantWithOwner, testServices, trpcCode } from './harness.ts';

interface ZodLike {
  _zod: { def: { type: string; format?: string; innerType?: ZodLike; shape?: Record<string, ZodLike> } };
}

const unwrap = (schema: ZodLike): ZodLike =>
  schema._zod.def.innerType ? unwrap(schema._zod.def.innerType) : schema;

/** Every procedure whose input names a row by id, with the id fields. */
function idTakingProcedures(): { path: string; type: string; idFields: string[] }[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
  return Object.entries(procedures).flatMap(([path, procedure]) => {
    // Public procedures act on no tenant: the id they may take only picks among the caller's own.
    if ((procedure._def.meta as { access?: string } | undefined)?.access === 'public') return [];
    const input = (procedure._def as unknown as { inputs?: ZodLike[] }).inputs?.[0];
    const shape = input ? unwrap(input)._zod.def.shape : undefined;
    if (!shape) return [];
    // Keyset cursors only page through the caller's own rows; they name nothing to act on.
    const cursors = ['before', 'cursor', 'lastEventId'];
    const idFields = Object.entries(shape)
      .filter(([name, field]) => !cursors.includes(name) && unwrap(field)._zod.def.format === 'uuid')
      .map(([name]) => name);
    return idFields.length > 0 ? [{ path, type: procedure._def.type, idFields }] : [];
  });
}

describe('a member of organisation A, given the ids of organisation B', () => {
  it('gets NOT_FOUND from every procedure that takes an id, and B is untouched', async () => {
    const services = testServices();
    const a = await tenantWithOwner(services, 'A');
    const b = await tenantWithOwner(services, 'B');
    const bMember = await addMember(services, b, 'sales');
    const bInvitation = await b.caller.invitations.create({ email: 'pending@example.test', role: 'viewer' });
    const { notification, deadLetter } = await withTenant(services.db, b.tenantId, async (tx) => ({
      notification: await tx.notification.create({ data: { tenantId: b.tenantId, userId: b.userId, type: 'member.joined', title: 'B' } }),
      deadLetter: await tx.deadLetter.create({
        data: { tenantId: b.tenantId, consumer: 'dashboard', eventId: newId(), eventType: 'client.created', envelope: {}, error: 'x', attempts: 1 },
      }),
    }));
    const bClient = await b.caller.clients.create({ kind: 'company', companyName: 'Client de B' });
    const [bListItem] = await b.caller.lists.items({ kind: 'client_source' });
    const bAppointment = await b.caller.appointments.create({ title: 'RDV de B', startsAt: '2026-12-03T10:00', endsAt: '2026-12-03T11:00', clientId: bClient.client!.id });
    const bActivity = await b.caller.activities.create({ kind: 'task', subject: 'Tâche de B', clientId: bClient.client!.id, dueDate: '2026-01-05' });
    const bSalesRep = await b.caller.salesReps.create({ firstName: 'Rep', lastName: 'de B' });
    const bContact = await b.caller.clientContacts.add({ clientId: bClient.client!.id, lastName: 'Contact de B', email: 'contact@b.test' });
    const bImport = await withTenant(services.db, b.tenantId, (tx) =>
      tx.clientImport.create({
        data: { tenantId: b.tenantId, createdBy: b.userId, fileName: 'b.csv', encoding: 'utf-8', delimiter: ';', clientScope: 'all', chunks: { create: { seq: 0, bytes: Buffer.from('Nom\nB\n') } } },
      }),
    );
    const bProduct = await b.caller.products.create({ code: 'ELEC-B', name: 'Électricité B', priceCents: 4_990, vatRateCode: 'NORMAL', billingFrequency: 'monthly' });
    const { bContract, bDocument } = await withTenant(services.db, b.tenantId, async (tx) => {
      const contract = await tx.contract.create({
        data: { tenantId: b.tenantId, number: 'B-DOC-1', clientId: bClient.client!.id, billingFrequency: 'monthly', startDate: new Date('2026-01-01'), durationMonths: 12, paymentMethod: 'sepa_debit' },
      });
      const document = await tx.document.create({
        data: { tenantId: b.tenantId, clientId: bClient.client!.id, contractId: contract.id, kind: 'other', fileName: 'b.pdf', mimeType: 'application/pdf', sizeBytes: 1, sha256: '0'.repeat(64), storageKey: `${b.tenantId}/2026/01/${newId()}` },
      });
      return { bContract: contract, bDocument: document };
    });
    const { bMandate, bItem, bBatch, bReturnFile, bRejection } = await withTenant(services.db, b.tenantId, async (tx) => {
      const mandate = await tx.sepaMandate.create({
        data: { tenantId: b.tenantId, clientId: bClient.client!.id, contractId: bContract.id, rum: 'RUM-B-1', debtorName: 'Client de B', iban: 'FR1420041010050500013M02606', signedOn: new Date('2026-01-01'), signedPlace: 'Lyon' },
      });
      const batch = await tx.sepaBatch.create({
        data: { tenantId: b.tenantId, number: 1, messageId: 'PRLV-B-1', collectionDate: new Date('2026-02-05'), format: 'pain.008.001.08', itemCount: 0, totalCents: 0n },
      });
      const item = await tx.scheduleItem.create({
        data: { tenantId: b.tenantId, contractId: bContract.id, clientId: bClient.client!.id, mandateId: mandate.id, periodStart: new Date('2026-01-01'), periodEnd: new Date('2026-01-31'), dueDate: new Date('2026-01-05'), amountCents: 1_000, paymentMethod: 'sepa_debit' },
      });
      const returnFile = await tx.bankReturnFile.create({ data: { tenantId: b.tenantId, fileName: 'b.csv', kind: 'csv', sha256: '1'.repeat(64) } });
      const rejected = await tx.scheduleItem.create({
        data: { tenantId: b.tenantId, contractId: bContract.id, clientId: bClient.client!.id, mandateId: mandate.id, periodStart: new Date('2026-02-01'), periodEnd: new Date('2026-02-28'), dueDate: new Date('2026-02-05'), amountCents: 1_000, paymentMethod: 'sepa_debit', status: 'rejected' },
      });
      const rejection = await tx.payment.create({
        data: { tenantId: b.tenantId, scheduleItemId: rejected.id, contractId: bContract.id, clientId: bClient.client!.id, outcome: 'rejected', method: 'sepa_debit', amountCents: 1_000, valueDate: new Date('2026-02-05'), reasonCode: 'AM04', reasonCategory: 'insufficient_funds', rTransaction: 'reject' },
      });
      return { bMandate: mandate, bItem: item, bBatch: batch, bReturnFile: returnFile, bRejection: rejection };
    });
    const bInvoice = await b.caller.invoices.createDraft({ clientId: bClient.client!.id, lines: [{ label: 'Frais de B', quantity: 1, unitPriceCents: 1_000, vatRateBasisPoints: 2_000 }] });
    const bMail = await withTenant(services.db, b.tenantId, (tx) =>
      tx.outgoingEffect.create({ data: { tenantId: b.tenantId, recipient: 'client@b.example.test', subject: 'Avis de B', textBody: 'b', template: 't', idempotencyKey: 'b-mail', status: 'failed', clientId: bClient.client!.id } }),
    );
    const bPlan = await b.caller.commissions.createPlan({ name: 'Plan de B', isDefault: true, effectiveFrom: '2026-01-01', rules: {} });
    const bStatement = await withTenant(services.db, b.tenantId, (tx) =>
      tx.commissionStatement.create({
        data: {
          tenantId: b.tenantId, salesRepId: bSalesRep.id, month: new Date('2026-01-01'), number: 'RC-2026-00001', commissionStatus: 'salaried', openingBalanceCents: 0, linesCents: 0,
          clawbacksCents: 0, adjustmentsCents: 0, totalCents: 0, netPayableCents: 0, carriedForwardCents: 0, lineCount: 0, issuedAt: new Date('2026-02-01T08:00:00Z'), issuedBy: 'B',
        },
      }),
    );
    const bLetter = await withTenant(services.db, b.tenantId, (tx) =>
      tx.letter.create({
        data: { tenantId: b.tenantId, clientId: bClient.client!.id, documentId: bDocument.id, service: 'simple', purpose: 'document', idempotencyKey: 'b-letter', addressLines: ['Client de B', null, null, '1 rue B', null, '69001 LYON'], countryCode: 'FR', reference: newId().replaceAll('-', '') },
      }),
    );
    const bCase = await withTenant(services.db, b.tenantId, async (tx) => {
      await ensureDunningPlans(tx, b.tenantId);
      const plan = await tx.dunningPlan.findFirstOrThrow({ where: { tenantId: b.tenantId, audience: 'b2b' } });
      const kase = await tx.dunningCase.create({
        data: { tenantId: b.tenantId, clientId: bClient.client!.id, planId: plan.id, audience: 'b2b', openedOn: new Date('2026-02-10'), cycleStartedOn: new Date('2026-02-10'), nextStepOn: new Date('2026-02-11') },
      });
      await tx.dunningCaseItem.create({ data: { tenantId: b.tenantId, caseId: kase.id, audience: 'b2b', scheduleItemId: bItem.id, label: 'Prélèvement de B', amountCents: 1_000, dueDate: new Date('2026-01-05') } });
      return kase;
    });
    const bConnection = await withTenant(services.db, b.tenantId, (tx) =>
      tx.mailConnection.create({ data: { tenantId: b.tenantId, userId: b.userId, provider: 'smtp', email: 'compta@b.example.test', secret: new Uint8Array([1, 2, 3]), keyVersion: 1, smtpHost: 'smtp.b.example.test', smtpPort: 587, smtpSecure: false } }),
    );
    // Everything B can read, before A tries every procedure with B's ids, and after.
    const readB = async () => ({
      members: await b.caller.members.list(),
      invitations: await b.caller.invitations.list(),
      notifications: await b.caller.notifications.list({}),
      deadLetters: await b.caller.events.deadLetters(),
      clients: await b.caller.clients.list({}),
      products: await b.caller.products.list({}),
      imports: await b.caller.clientImports.list({}),
      sources: await b.caller.lists.items({ kind: 'client_source' }),
      appointments: await b.caller.appointments.list({ from: '2026-11-30', to: '2026-12-07', people: 'all', includeCancelled: true }),
      tasks: await b.caller.activities.myTasks({ includeRecentlyDone: true }),
      timeline: await b.caller.clients.timeline({ clientId: bClient.client!.id }),
      salesReps: await b.caller.salesReps.list({ includeInactive: true }),
      batches: await b.caller.batches.get({ batchId: bBatch.id }),
      mandates: await b.caller.mandates.list({}),
      paymentItems: await b.caller.payments.items({}),
      returnFiles: await b.caller.payments.returnFiles({}),
      contracts: await b.caller.contracts.get({ contractId: bContract.id }),
      documents: await b.caller.documents.list({ clientId: bClient.client!.id }),
      contacts: await b.caller.clientContacts.list({ clientId: bClient.client!.id }),
      invoice: await b.caller.invoices.get({ invoiceId: bInvoice.id }),
      mails: await b.caller.mails.list({}),
      rejects: await b.caller.retries.list({}),
      commissionPlans: await b.caller.commissions.plans(),
      statements: await b.caller.commissions.statements({}),
      letters: await b.caller.letters.list({}),
      dunningCase: await b.caller.dunning.get({ caseId: bCase.id }),
      mailAccounts: await b.caller.mailAccounts.list(),
    });
    const bBefore = await readB();

    // B's real ids, by field name. A new id-taking procedure must add its field here.
    const foreignIds: Record<string, string> = {
      memberId: bMember.memberId,
      invitationId: bInvitation.id,
      organisationId: b.tenantId,
      notificationId: notification.id,
      deadLetterId: deadLetter.id,
      clientId: bClient.client!.id,
      productId: bProduct.id,
      importId: bImport.id,
      itemId: bListItem!.id,
      appointmentId: bAppointment.appointment!.id,
      activityId: bActivity.id,
      ownerUserId: b.userId,
      salesRepId: bSalesRep.id,
      sourceClientId: bClient.client!.id,
      targetClientId: bClient.client!.id,
      toSalesRepId: bSalesRep.id,
      fromSalesRepId: bSalesRep.id,
      managerId: bSalesRep.id,
      userId: b.userId,
      contractId: bContract.id,
      documentId: bDocument.id,
      mandateId: bMandate.id,
      scheduleItemId: bItem.id,
      batchId: bBatch.id,
      returnFileId: bReturnFile.id,
      contactId: bContact.id,
      invoiceId: bInvoice.id,
      mailId: bMail.id,
      paymentId: bRejection.id,
      planId: bPlan.id,
      statementId: bStatement.id,
      letterId: bLetter.id,
      // Not a record: the key a form makes so a repeat posts one letter; B's document is what must not be found.
      requestId: newId(),
      caseId: bCase.id,
      connectionId: bConnection.id,
    };
    const otherFields2: Record<string, unknown> = { priceCents: 1, effectiveFrom: '2026-01-01' };
    const otherFields: Record<string, unknown> = { role: 'viewer' };
    const appointmentFields = { title: 'RDV de A', startsAt: '2026-12-03T10:00', endsAt: '2026-12-03T11:00' };
    // What a procedure needs besides its ids to get past validation to the lookup.
    const requiredFields: Record<string, Record<string, unknown>> = {
      'clients.create': { kind: 'company', companyName: 'Client' },
      'clientContacts.add': { lastName: 'Contact de A' },
      'clientImports.dryRun': { mapping: ['lastName'], duplicatePolicy: 'skip' },
      'appointments.create': appointmentFields,
      'activities.create': { kind: 'task', subject: 'Tâche' },
      'clients.anonymise': { confirm: true },
      'salesReps.create': { firstName: 'Jean', lastName: 'Dupont' },
      'salesReps.setTarget': { month: '2026-12', revenueCents: 100 },
      'payments.recordManual': { method: 'cheque', receivedOn: '2026-01-05' },
      'mandates.amend': { debtorName: 'Débiteur de A' },
      'contracts.create': { lines: [{ productId: bProduct.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'transfer' },
      'contracts.sign': { signerName: 'Client de B', consent: true },
      'contracts.terminate': { endDate: '2026-12-31' },
      'contracts.cancel': { reason: 'Annulé par A' },
      'invoices.createDraft': { lines: [{ label: 'Frais de A', quantity: 1, unitPriceCents: 100, vatRateBasisPoints: 2_000 }] },
      'invoices.createCreditNote': { reason: 'Avoir de A' },
      'commissions.addPlanVersion': { effectiveFrom: '2030-01-01', rules: {} },
      'commissions.simulate': { month: '2027-01-01', contracts: [] },
      'commissions.addAdjustment': { amountCents: 100, reason: 'Ajustement de A' },
      'commissions.updateRep': { commissionStatus: 'agent' },
      'letters.send': { service: 'simple' },
      'dunning.pause': { note: 'Litige de A' },
      'dunning.writeOff': { reason: 'Perte de A' },
      'dunning.agreePaymentPlan': { instalments: [{ dueOn: '2027-01-05', amountCents: 500 }, { dueOn: '2027-02-05', amountCents: 500 }] },
      'mailTemplates.preview': { key: 'client.welcome', subject: 'Objet', body: '{{client.nom}}' },
    };

    const procedures = idTakingProcedures();
    expect(procedures.map((p) => p.path).sort()).toEqual([
      'activities.complete',
      'activities.create',
      'activities.delete',
      'activities.listForClient',
      'activities.reopen',
      'activities.update',
      'appointments.cancel',
      'appointments.create',
      'appointments.get',
      'appointments.update',
      'auth.switchOrganisation',
      'batches.cancel',
      'batches.get',
      'batches.markSent',
      'batches.removeItem',
      'clientContacts.add',
      'clientContacts.list',
      'clientContacts.remove',
      'clientContacts.update',
      'clientImports.dryRun',
      'clientImports.get',
      'clientImports.start',
      'clients.anonymise',
      'clients.archive',
      'clients.create',
      'clients.exportData',
      'clients.get',
      'clients.merge',
      'clients.reassign',
      'clients.restore',
      'clients.timeline',
      'clients.update',
      'commissions.addAdjustment',
      'commissions.addPlanVersion',
      'commissions.assignPlan',
      'commissions.lines',
      'commissions.repSummary',
      'commissions.simulate',
      'commissions.statement',
      'commissions.statements',
      'commissions.updateRep',
      'contracts.activate',
      'contracts.cancel',
      'contracts.create',
      'contracts.get',
      'contracts.list',
      'contracts.resendSigningLink',
      'contracts.resume',
      'contracts.send',
      'contracts.sign',
      'contracts.suspend',
      'contracts.terminate',
      'contracts.update',
      'contracts.withdraw',
      'documents.delete',
      'documents.list',
      'dunning.agreePaymentPlan',
      'dunning.get',
      'dunning.list',
      'dunning.pause',
      'dunning.resume',
      'dunning.writeOff',
      'events.replay',
      'invitations.revoke',
      'invoices.createCreditNote',
      'invoices.createDraft',
      'invoices.deleteDraft',
      'invoices.get',
      'invoices.issue',
      'invoices.list',
      'invoices.send',
      'invoices.updateDraft',
      'invoicing.refreshStatuses',
      'invoicing.submit',
      'invoicing.transmission',
      'letters.get',
      'letters.list',
      'letters.send',
      'lists.update',
      'mailAccounts.disconnect',
      'mailAccounts.setSender',
      'mailTemplates.preview',
      'mails.resend',
      'mandates.amend',
      'mandates.get',
      'mandates.list',
      'mandates.revoke',
      'members.changeRole',
      'members.remove',
      'notifications.markRead',
      'payments.items',
      'payments.list',
      'payments.recordManual',
      'payments.returnFile',
      'payments.schedule',
      'products.changePrice',
      'products.get',
      'products.update',
      'retries.get',
      'retries.representNow',
      'retries.requestBankDetails',
      'retries.stop',
      'salesReps.create',
      'salesReps.get',
      'salesReps.setTarget',
      'salesReps.update',
    ]);
    for (const { path, idFields } of procedures) {
      const input: Record<string, unknown> = { ...otherFields, ...(path === 'products.changePrice' ? otherFields2 : {}), ...requiredFields[path] };
      for (const field of idFields) {
        expect(foreignIds, `no foreign id for ${path}.${field}`).toHaveProperty(field);
        input[field] = foreignIds[field];
      }
      if (path !== 'members.changeRole') delete input.role;
      const [router, name] = path.split('.') as [string, string];
      const call = (a.caller as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>)[router]![name]!;
      expect(`${path}: ${await trpcCode(call(input))}`).toBe(`${path}: NOT_FOUND`);
    }

    expect(await readB()).toEqual(bBefore);
  });

  it('logging in with B as the organisation opens a session in A, not B', async () => {
    const services = testServices();
    const a = await tenantWithOwner(services, 'A');
    const b = await tenantWithOwner(services, 'B');
    const { caller } = await callAs(services);
    const grant = await caller.auth.logIn({ email: a.email, password: a.password, organisationId: b.tenantId });
    expect(grant.organisationId).toBe(a.tenantId);
  });

  it('cannot tell B ids from ids that exist nowhere', async () => {
    const services = testServices();
    const a = await tenantWithOwner(services, 'A');
    const b = await tenantWithOwner(services, 'B');
    const bMember = await addMember(services, b, 'viewer');
    const foreign = await a.caller.members.changeRole({ memberId: bMember.memberId, role: 'admin' }).catch((e: unknown) => e);
    const missing = await a.caller.members
      .changeRole({ memberId: '01900000-0000-7000-8000-000000000000', role: 'admin' })
      .catch((e: unknown) => e);
    expect(JSON.stringify(foreign)).toBe(JSON.stringify(missing));
    expect((foreign as { code: string }).code).toBe('NOT_FOUND');
  });
});
