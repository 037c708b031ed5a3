import { withTenant } from '@crm/db';
import { createActivity } from '../activities/create-activity.ts';
import { createContract } from '../contracts/create-contract.ts';
import { seedDemoCommissions } from './seed-demo-commissions.ts';
import { sendContract, signContract } from '../contracts/contract-transitions.ts';
import { storeSignedContract } from '../contracts/store-signed-contract.ts';
import { ZCreateContractInput } from '../contracts/contracts.schema.ts';
import { computeSepaCreditorIdCheckDigits } from '../shared/identifiers.ts';
import { ZCreateActivityInput } from '../activities/activities.schema.ts';
import { createAppointment } from '../appointments/create-appointment.ts';
import { ZCreateAppointmentInput } from '../appointments/appointments.schema.ts';
import { createVerifiedAccount } from '../auth/create-account.ts';
import { hashPassword } from '../auth/passwords.ts';
import { createClient } from '../clients/create-client.ts';
import { ZCreateClientInput } from '../clients/clients.schema.ts';
import { createProduct } from '../products/products.ts';
import { ZCreateProductInput } from '../products/products.schema.ts';
import { createSalesRep } from '../sales-reps/create-sales-rep.ts';
import { setSalesRepTarget } from '../sales-reps/set-sales-rep-target.ts';
import type { DocumentServices } from '../documents/document-storage.ts';
import { seedDemoDunning } from './seed-demo-dunning.ts';
import { createCreditNote } from '../invoices/create-credit-note.ts';
import { createInvoiceDraft } from '../invoices/create-invoice-draft.ts';
import { draftInvoicesFromScheduleIn } from '../invoices/draft-invoices-from-schedule.ts';
import { ZCreateCreditNoteInput, ZCreateInvoiceDraftInput } from '../invoices/invoices.schema.ts';
import { issueInvoiceIn } from '../invoices/issue-invoice.ts';
import { createContractSchedule } from '../payments/create-schedule.ts';
import { importBankReturns } from '../payments/import-returns.ts';
import { decideRejections } from '../retries/retry-on-event.ts';
import type { DocumentDeps } from '../documents/document-view.ts';
import type { AuthDeps } from '../shared/context.ts';
import { parisDay } from '../shared/paris-day.ts';

export const DEMO_LOGIN = { email: 'demo@crm.local', password: 'demo-crm-2026' } as const;

/**
 * The organisation a new user finds when running the CRM on embedded defaults. Idempotent:
 * does nothing when the demo account exists.
 */
export async function seedDemo(deps: Pick<AuthDeps, 'db' | 'clock'> & { documents: DocumentServices }): Promise<{ created: boolean; email: string; password: string }> {
  const exists = await deps.db.user.count({ where: { email: DEMO_LOGIN.email } });
  if (exists > 0) return { created: false, ...DEMO_LOGIN };
  // The demo account's address is not a mailbox anyone reads: it is created verified.
  const { userId, tenantId } = await createVerifiedAccount(deps, {
    name: 'Camille Martin',
    email: DEMO_LOGIN.email,
    passwordHash: await hashPassword(DEMO_LOGIN.password),
    organisationName: 'Démo Assurances',
  });
  await withTenant(deps.db, tenantId, (tx) =>
    tx.organisation.update({
      where: { id: tenantId },
      data: {
        legalName: 'Démo Assurances SAS',
        legalForm: 'SAS',
        siren: '732829320',
        siret: '73282932000074',
        vatNumber: 'FR44732829320',
        addressLine1: '12 rue de la Paix',
        postalCode: '75002',
        city: 'Paris',
        country: 'FR',
        invoicePrefix: 'DEMO',
        sepaCreditorId: `FR${computeSepaCreditorIdCheckDigits('FR', '123456')}ZZZ123456`,
        creditorIban: 'FR7630006000011234567890189',
        creditorBic: 'SOGEFRPP',
        // What invoices must say (share capital, RCS), and invoices issued ahead of each debit.
        shareCapitalCents: 5_000_000n,
        rcsCity: 'Paris',
        invoiceAutoIssue: true,
      },
    }),
  );
  await withTenant(deps.db, tenantId, async (tx) => {
    const member = await tx.membership.findFirstOrThrow({ where: { userId }, select: { id: true } });
    await seedDemoData({ tx, now: deps.clock(), actor: { userId, tenantId, memberId: member.id, role: 'owner' }, documents: deps.documents });
  }, { userId, timeoutMs: 120_000 });
  return { created: true, ...DEMO_LOGIN };
}

const FIRST = ['Marie', 'Jean', 'Élodie', 'François', 'Hélène', 'Luc', 'Anaïs', 'Stéphane', 'Chloé', 'Jérôme', 'Inès', 'Noël'];
const LAST = ['Martin', 'Lefèvre', 'Dubois', 'Moreau', 'Girard', 'Bonnet', 'Faure', 'André', 'Mercier', 'Blanc', 'Guérin', 'Boyer'];
const CITIES = [
  ['Bordeaux', '33000'], ['Lyon', '69003'], ['Nantes', '44000'], ['Toulouse', '31000'], ['Lille', '59000'], ['Montpellier', '34000'],
  ['Rennes', '35000'], ['Strasbourg', '67000'], ['Nice', '06000'], ['Orléans', '45000'],
] as const;
const COMPANIES = ['Boulangerie Lefèvre', 'Garage du Centre', 'Pharmacie des Halles', 'Café de la Gare', 'Atelier Moreau', 'Cabinet Girard', 'Fleurs & Jardins', 'Menuiserie Bonnet'];

/** A working day in Paris, `days` from today, at hh:mm (for appointments). */
function parisLocal(now: Date, days: number, time: string): string {
  const day = new Date(now.getTime() + days * 86_400_000);
  return `${parisDay(day)}T${time}`;
}
const isoDay = (now: Date, days: number) => parisDay(new Date(now.getTime() + days * 86_400_000));

/** Reps, products, clients, tasks and appointments, so every screen has something to show. */
async function seedDemoData(deps: DocumentDeps) {
  const lead = await createSalesRep(deps, { firstName: 'Sophie', lastName: 'Laurent', team: 'Sud-Ouest', email: 'sophie.laurent@demo.test', userId: deps.actor.userId });
  const reps = [
    lead,
    await createSalesRep(deps, { firstName: 'Thomas', lastName: 'Roux', team: 'Sud-Ouest', managerId: lead.id, phone: '06 12 34 56 78' }),
    await createSalesRep(deps, { firstName: 'Nadia', lastName: 'Benali', team: 'Sud-Ouest', managerId: lead.id }),
    await createSalesRep(deps, { firstName: 'Julien', lastName: 'Perrin', team: 'Rhône-Alpes' }),
  ];
  const month = isoDay(deps.now, 0).slice(0, 7);
  for (const [i, rep] of reps.entries()) {
    await setSalesRepTarget(deps, { salesRepId: rep.id, month, revenueCents: 1_200_000 + i * 300_000, contractsCount: 10 + i * 2 });
  }
  for (const product of [
    { code: 'ELEC-ESS', name: 'Électricité Essentiel', category: 'Énergie', priceCents: 4_990, vatRateCode: 'NORMAL', billingFrequency: 'monthly' },
    { code: 'GAZ-CONF', name: 'Gaz Confort', category: 'Énergie', priceCents: 5_490, vatRateCode: 'NORMAL', billingFrequency: 'monthly' },
    { code: 'MRH-STD', name: 'Assurance habitation', category: 'Assurance', priceCents: 18_000, vatRateCode: 'NORMAL', billingFrequency: 'quarterly' },
    { code: 'ENTR-CHAUD', name: 'Entretien chaudière', category: 'Services', priceCents: 12_900, vatRateCode: 'INTERMEDIAIRE', billingFrequency: 'yearly' },
  ]) {
    await createProduct(deps, ZCreateProductInput.parse({ ...product, effectiveFrom: `${isoDay(deps.now, -365).slice(0, 4)}-01-01` }));
  }
  const clients: string[] = [];
  for (let i = 0; i < 36; i++) {
    const [city, postalCode] = CITIES[i % CITIES.length]!;
    const company = i % 5 === 4 ? COMPANIES[Math.floor(i / 5) % COMPANIES.length] : undefined;
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7) % LAST.length]!;
    const input = company
      ? { kind: 'company', companyName: company, email: `contact${i}@entreprise.test`, phone: `05 56 ${String(10 + i).padStart(2, '0')} 20 30` }
      : {
          kind: 'person', civility: i % 2 ? 'M' : 'MME', firstName: first, lastName: last,
          email: `${first}.${last}${i}@exemple.test`.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase(),
          mobile: `06 ${String(10 + i).padStart(2, '0')} 45 67 89`, birthDate: `19${60 + (i % 35)}-0${1 + (i % 9)}-1${i % 9}`,
        };
    const { client } = await createClient(deps, ZCreateClientInput.parse({
      ...input,
      address: { line1: `${3 + i} rue de la République`, postalCode, city },
      status: i % 3 === 0 ? 'prospect' : 'active',
      source: ['Bouche-à-oreille', 'Site web', 'Salon', 'Démarchage'][i % 4],
      tags: i % 4 === 0 ? ['énergie'] : i % 4 === 1 ? ['assurance'] : [],
      marketingConsent: i % 2 === 0,
      salesRepId: reps[i % reps.length]!.id,
      ignoreDuplicates: true,
    }));
    clients.push(client!.id);
  }
  const tasks = [
    { subject: 'Rappeler pour le devis gaz', dueDate: isoDay(deps.now, -2) },
    { subject: 'Envoyer les conditions générales', dueDate: isoDay(deps.now, 0) },
    { subject: 'Relancer la signature du contrat', dueDate: isoDay(deps.now, 3) },
    { subject: 'Préparer le rendez-vous annuel', dueDate: null },
  ];
  for (const [i, task] of tasks.entries()) {
    await createActivity(deps, ZCreateActivityInput.parse({ kind: 'task', ...task, clientId: clients[i] }));
  }
  // Contracts at every stage: signed ones (the worker then makes their mandate and schedule), one
  // sent for signature, one draft.
  const products = await deps.tx.product.findMany({ where: { tenantId: deps.actor.tenantId }, select: { id: true, code: true } });
  const product = (code: string) => products.find((p) => p.code === code)!.id;
  const ibans = ['FR1420041010050500013M02606', 'DE89370400440532013000', 'FR7630006000011234567890189'];
  const people = await deps.tx.client.findMany({ where: { tenantId: deps.actor.tenantId, kind: 'person' }, select: { id: true, lastName: true, displayName: true }, orderBy: { createdAt: 'asc' }, take: 6 });
  for (const [i, client] of people.entries()) {
    const contract = await createContract(deps, ZCreateContractInput.parse({
      clientId: client.id,
      lines: i % 2 ? [{ productId: product('ELEC-ESS'), quantity: 1 }, { productId: product('GAZ-CONF'), quantity: 1 }] : [{ productId: product('MRH-STD'), quantity: 1 }],
      startDate: isoDay(deps.now, -20 + i * 7),
      durationMonths: 12,
      paymentMethod: 'sepa_debit',
      debtorName: client.displayName,
      debtorIban: ibans[i % ibans.length],
    }));
    if (i === 5) continue; // stays a draft
    await sendContract(deps, { contractId: contract.id });
    if (i === 4) continue; // waits for its signature
    await signContract(deps, { contractId: contract.id, signerName: client.displayName, consent: true }, { ip: '127.0.0.1', userAgent: 'démo' });
    // What the worker's documents consumer does on contract.signed, done here so a seed without a worker has the PDFs.
    await storeSignedContract(deps.tx, deps.actor.tenantId, contract.id, { now: deps.now, storage: deps.documents.storage, by: 'seed' });
  }
  await seedDemoInvoices(deps);
  await seedDemoRejects(deps);
  await seedDemoCommissions(deps, { thomas: reps[1]!.id, julien: reps[3]!.id });
  await seedDemoDunning(deps);
  await createActivity(deps, ZCreateActivityInput.parse({ kind: 'call', subject: 'Appel de découverte', body: 'Intéressé par une offre groupée électricité + gaz.', clientId: clients[0] }));
  await createActivity(deps, ZCreateActivityInput.parse({ kind: 'note', subject: 'Préférences', body: 'Préfère être contacté le matin.', clientId: clients[0] }));
  for (const [i, slot] of [[1, '09:30', '10:30'], [1, '14:00', '15:00'], [2, '11:00', '12:00'], [4, '16:00', '17:30']].entries()) {
    const [days, from, to] = slot as [number, string, string];
    await createAppointment(deps, ZCreateAppointmentInput.parse({
      title: ['Signature contrat énergie', 'Bilan assurance', 'Visite technique', 'Point équipe'][i],
      startsAt: parisLocal(deps.now, days, from),
      endsAt: parisLocal(deps.now, days, to),
      location: i === 3 ? 'Agence de Bordeaux' : `${3 + i} rue de la République`,
      clientId: i === 3 ? null : clients[i],
      reminderMinutes: 30,
      ignoreOverlaps: true,
    }));
  }
}

/**
 * Issued invoices for the signed contracts' debits due within the notice days (their schedule is
 * made here as the payments consumer would make it; the worker's run later changes nothing), a
 * credit note on the first, and a business client's one-off invoice (its Factur-X once rendered).
 */
async function seedDemoInvoices(deps: DocumentDeps) {
  const { tx, actor, now } = deps;
  const tenantId = actor.tenantId;
  const signed = await tx.contract.findMany({ where: { tenantId, status: 'signed' }, select: { id: true }, orderBy: { createdAt: 'asc' } });
  for (const contract of signed) await createContractSchedule(tx, tenantId, contract.id);
  const issue = (invoiceId: string) =>
    issueInvoiceIn({ tx, tenantId, now, storage: deps.documents.storage, issuedBy: actor.userId, actorUserId: actor.userId }, invoiceId);
  const drafts = await draftInvoicesFromScheduleIn({ tx, tenantId, now, createdBy: actor.userId }, isoDay(now, 14));
  for (const id of drafts) await issue(id);
  if (drafts[0]) await createCreditNote(deps, ZCreateCreditNoteInput.parse({ invoiceId: drafts[0], reason: 'Geste commercial : premier mois offert à moitié', amounts: [{ vatRateBasisPoints: 2000, netCents: 1_000 }] }));
  const company = await tx.client.findFirstOrThrow({ where: { tenantId, kind: 'company' }, orderBy: { createdAt: 'asc' }, select: { id: true } });
  await tx.client.update({ where: { id: company.id }, data: { siren: '443061841', vatNumber: 'FR64443061841', legalForm: 'SARL' } });
  const b2b = await createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({
    clientId: company.id,
    lines: [
      { label: 'Audit énergétique des locaux', quantity: 1, unitPriceCents: 45_000, vatRateBasisPoints: 2000 },
      { label: 'Détecteurs de fumée', quantity: 4, unitPriceCents: 2_500, vatRateBasisPoints: 2000, supplyKind: 'goods' },
    ],
    deliveryDate: isoDay(now, -3),
    purchaseOrder: 'BC-2026-118',
  }));
  await issue(b2b.id);
}

/**
 * Two debits the bank rejected yesterday (a return file imported): one for want of funds (AM04),
 * re-presented on the payday after the earliest date, and one on a closed account (AC04), not
 * presented again (payment.unrecovered: dunning's). Decided here as the retries consumer decides
 * (its later run finds them decided and changes nothing).
 */
async function seedDemoRejects(deps: DocumentDeps) {
  const { tx, actor, now } = deps;
  const tenantId = actor.tenantId;
  const contracts = await tx.contract.findMany({ where: { tenantId, status: 'signed' }, select: { id: true }, orderBy: { createdAt: 'asc' }, take: 2 });
  const rejectedOn = isoDay(now, -1);
  const lines: string[] = [];
  for (const [i, contract] of contracts.entries()) {
    const item = await tx.scheduleItem.findFirst({ where: { tenantId, contractId: contract.id, status: 'planned' }, orderBy: { dueDate: 'asc' }, select: { id: true } });
    if (!item) continue;
    const endToEndId = `E2E-DEMO-${String(i + 1).padStart(10, '0')}`;
    await tx.scheduleItem.update({ where: { id: item.id }, data: { status: 'submitted', sequenceType: 'RCUR', endToEndId } });
    lines.push(`${endToEndId};rejected;${i === 0 ? 'AM04' : 'AC04'};;${rejectedOn}`);
  }
  if (lines.length === 0) return;
  const bytes = new TextEncoder().encode(['end_to_end_id;status;reason_code;amount;date', ...lines].join('\n'));
  await importBankReturns(deps, { fileName: 'retours-demo.csv', bytes });
  const rejections = await tx.payment.findMany({ where: { tenantId, outcome: 'rejected' }, select: { id: true } });
  await decideRejections(tx, tenantId, rejections.map((r) => r.id), { today: isoDay(now, 0), now, decidedBy: 'system:retries' });
}
