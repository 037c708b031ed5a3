import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { createDb, withTenant } from '@crm/db';
import { createTestDatabase } from '@crm/db/testing';
import {
  createClient,
  createInvoiceDraft,
  createVerifiedAccount,
  hashPassword,
  issueInvoiceIn,
  LocalDiskStorage,
  ZCreateClientInput,
  ZCreateInvoiceDraftInput,
  type InvoiceDocument,
} from '@crm/domain';
import { fmt } from './harness.ts';
import { renderAlone } from './invoice-render-alone.ts';

// `pnpm bench:invoice-issue` (issue 16): issuing COUNT invoices, each in its own transaction as
// the API does it (draft locked, mentions checked, number taken from the locked counter row,
// snapshot frozen, PDF/A-3 + Factur-X CII + JSON rendered and stored on disk, documents and
// invoice.created written), against rendering the very same snapshots alone (no database, no
// storage) in the same run. Goal: rendering / issuing >= 0.5. Half the clients are companies
// (their invoices carry the CII and the B2B mentions). `--count N` or BENCH_INVOICES=N.
const flag = process.argv.indexOf('--count');
const COUNT = Number(flag >= 0 ? process.argv[flag + 1] : (process.env.BENCH_INVOICES ?? 10_000));
if (!Number.isSafeInteger(COUNT) || COUNT < 1) throw new Error('--count takes a positive integer');

const database = await createTestDatabase('crm_bench_invoices');
const db = createDb({ url: database.appUrl, poolSize: 4 });
const storage = LocalDiskStorage.temporary('crm-bench-invoices');
try {
  const { tenantId, userId } = await createVerifiedAccount(
    { db },
    { name: 'Bench', email: `bench.${randomBytes(4).toString('hex')}@example.test`, passwordHash: await hashPassword('a bench password'), organisationName: 'Bench Factures' },
  );
  const member = await withTenant(db, tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId }, select: { id: true } }));
  const now = new Date('2027-01-04T09:00:00Z');
  const deps = (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) => ({ tx, now, actor: { userId, tenantId, memberId: member.id, role: 'owner' as const } });
  await withTenant(db, tenantId, (tx) =>
    tx.organisation.update({
      where: { id: tenantId },
      data: {
        legalName: 'Bench Factures SAS', legalForm: 'SAS', siren: '732829320', vatNumber: 'FR44732829320', shareCapitalCents: 1_000_000n, rcsCity: 'Paris',
        addressLine1: '12 rue de la Paix', postalCode: '75002', city: 'Paris',
      },
    }),
  );
  const clients = await withTenant(db, tenantId, async (tx) => [
    (await createClient(deps(tx), ZCreateClientInput.parse({ kind: 'person', firstName: 'Hélène', lastName: 'Lefèvre', address: { line1: '5 rue des Lilas', postalCode: '33000', city: 'Bordeaux' } }))).client!.id,
    (await createClient(deps(tx), ZCreateClientInput.parse({ kind: 'company', companyName: 'Garage Durand', siren: '443061841', address: { line1: '1 route de Lyon', postalCode: '69000', city: 'Lyon' } }))).client!.id,
  ]);

  // Drafts, untimed: what issuing starts from.
  const drafts: string[] = [];
  for (let i = 0; i < COUNT; i += 200) {
    await withTenant(db, tenantId, async (tx) => {
      for (let j = i; j < Math.min(COUNT, i + 200); j++) {
        const draft = await createInvoiceDraft(deps(tx), ZCreateInvoiceDraftInput.parse({
          clientId: clients[j % 2]!,
          lines: [
            { label: `Contrat d'entretien n° ${j}`, quantity: 1, unitPriceCents: 12_900 + (j % 50), vatRateBasisPoints: 1000 },
            { label: 'Pièces détachées', quantity: 1 + (j % 3), unitPriceCents: 2_450, vatRateBasisPoints: 2000, supplyKind: 'goods' },
          ],
          deliveryDate: '2027-01-02',
          paymentMethod: 'transfer',
        }));
        drafts.push(draft.id);
      }
    });
  }

  await renderAlone(20); // warm-up: fonts parsed, code compiled
  const issueStarted = performance.now();
  for (const id of drafts) {
    await withTenant(db, tenantId, (tx) => issueInvoiceIn({ tx, tenantId, now, storage, issuedBy: userId, actorUserId: userId }, id));
  }
  const issueMs = performance.now() - issueStarted;

  const snapshots = await withTenant(db, tenantId, (tx) => tx.invoice.findMany({ where: { tenantId, status: { not: 'draft' } }, select: { snapshot: true }, orderBy: { number: 'asc' } }));
  if (snapshots.length !== COUNT) throw new Error(`${snapshots.length} invoices issued, ${COUNT} expected`);
  const documents = snapshots.map((s) => s.snapshot as unknown as InvoiceDocument);
  const alone = await renderAlone(COUNT, (i) => documents[i]!);

  console.log(`issuing ${fmt(COUNT)} invoices (${alone.pdfs} PDFs, ${alone.xmls} Factur-X CII), load average ${loadavg()[0]!.toFixed(1)}`);
  console.log(`  issuing:         ${(issueMs / 1000).toFixed(1)} s, ${(issueMs / COUNT).toFixed(2)} ms per invoice`);
  console.log(`  rendering alone: ${(alone.ms / 1000).toFixed(1)} s, ${(alone.ms / COUNT).toFixed(2)} ms per invoice`);
  console.log(`  ratio rendering / issuing: ${(alone.ms / issueMs).toFixed(2)} (goal >= 0.5)`);
} finally {
  await db.$disconnect();
  await database.drop();
  await rm(storage.root, { recursive: true, force: true });
}
