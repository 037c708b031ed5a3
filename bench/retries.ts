import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { createDb, newId, withTenant, type Db } from '@crm/db';
import { createTestDatabase } from '@crm/db/testing';
import {
  bindHandlerDeps,
  computeSepaCreditorIdCheckDigits,
  createVerifiedAccount,
  handleEventsOnce,
  handlerDepsFactory,
  handlerOf,
  hashPassword,
  importBankReturns,
  NO_DOCUMENT_STORAGE,
  type EventEnvelope,
} from '@crm/domain';
import { fmt } from './harness.ts';

// `pnpm bench:retries` (issue 17): importing a return file of COUNT rejections (half AM04, the
// rest spread over other reasons) and scheduling their re-presentations: the import, then the
// retries consumer over the import's payment.rejected events as the JetStream consumer hands
// them over (batches of 256 per tenant, handleEventsOnce). Baseline in the same run: the same
// import of the same shape of file in another organisation, without the retries consumer.
// Goal: import + re-presentations <= 10 s; the ratio says what the retries part costs.
// `--count N` or BENCH_REJECTS=N.
const flag = process.argv.indexOf('--count');
const COUNT = Number(flag >= 0 ? process.argv[flag + 1] : (process.env.BENCH_REJECTS ?? 10_000));
if (!Number.isSafeInteger(COUNT) || COUNT < 1) throw new Error('--count takes a positive integer');
const ITEMS_PER_CONTRACT = 10;
const CODES = ['AM04', 'AM04', 'AM04', 'AM04', 'AC04', 'MD01', 'MS03', 'MD06'];
const ICS = `FR${computeSepaCreditorIdCheckDigits('FR', '123456')}ZZZ123456`;
const now = new Date('2027-01-04T09:00:00Z');

/** An organisation with COUNT debits submitted to the bank (one contract and mandate per ten), and the return file rejecting them all. */
async function organisationWithSubmittedDebits(db: Db, label: string) {
  const { tenantId, userId } = await createVerifiedAccount(
    { db },
    { name: 'Bench', email: `bench.${randomBytes(4).toString('hex')}@example.test`, passwordHash: await hashPassword('a bench password'), organisationName: `Bench ${label}` },
  );
  const member = await withTenant(db, tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId }, select: { id: true } }));
  const tag = tenantId.replace(/-/g, '').slice(-8).toUpperCase();
  const lines: string[] = [];
  await withTenant(db, tenantId, async (tx) => {
    await tx.organisation.update({ where: { id: tenantId }, data: { sepaCreditorId: ICS, creditorIban: 'FR7630006000011234567890189', creditorBic: 'SOGEFRPP', legalName: 'Bench SAS' } });
    const contracts = Math.ceil(COUNT / ITEMS_PER_CONTRACT);
    const clients = Array.from({ length: contracts }, (_, i) => ({
      id: newId(), tenantId, kind: 'person' as const, firstName: 'Client', lastName: `N${i}`, displayName: `Client N${i}`, sortName: `n${i} client`, searchText: `client n${i}`,
    }));
    await tx.client.createMany({ data: clients });
    const contractRows = clients.map((c, i) => ({
      id: newId(), tenantId, number: `CT-B-${i}`, clientId: c.id, status: 'active' as const, billingFrequency: 'monthly' as const, startDate: new Date('2026-01-01'),
      durationMonths: 24, paymentMethod: 'sepa_debit' as const,
    }));
    await tx.contract.createMany({ data: contractRows });
    const mandates = contractRows.map((c, i) => ({
      id: newId(), tenantId, clientId: c.clientId, contractId: c.id, rum: `RUM-B-${i}`, debtorName: `Client N${i}`, iban: 'FR1420041010050500013M02606', signedOn: new Date('2026-01-01'), signedPlace: 'Lyon',
    }));
    await tx.sepaMandate.createMany({ data: mandates });
    const items = [];
    for (let n = 0; n < COUNT; n++) {
      const c = Math.floor(n / ITEMS_PER_CONTRACT);
      const month = (n % ITEMS_PER_CONTRACT) + 1;
      const endToEndId = `E2E-${tag}-${String(n).padStart(10, '0')}`;
      items.push({
        tenantId, contractId: contractRows[c]!.id, clientId: clients[c]!.id, mandateId: mandates[c]!.id,
        periodStart: new Date(`2026-${String(month).padStart(2, '0')}-01`), periodEnd: new Date(`2026-${String(month).padStart(2, '0')}-28`),
        dueDate: new Date('2026-12-28'), amountCents: 2_000 + (n % 100), paymentMethod: 'sepa_debit' as const, status: 'submitted' as const, sequenceType: 'RCUR' as const, endToEndId,
      });
      lines.push(`${endToEndId};rejected;${CODES[n % CODES.length]};;2026-12-30`);
    }
    for (let i = 0; i < items.length; i += 5_000) await tx.scheduleItem.createMany({ data: items.slice(i, i + 5_000) });
  }, { timeoutMs: 600_000 });
  const file = new TextEncoder().encode(['end_to_end_id;status;reason_code;amount;date', ...lines].join('\n'));
  const run = <R>(f: (deps: { tx: Parameters<Parameters<typeof withTenant>[2]>[0]; now: Date; actor: { userId: string; tenantId: string; memberId: string; role: 'owner' } }) => Promise<R>) =>
    withTenant(db, tenantId, (tx) => f({ tx, now, actor: { userId, tenantId, memberId: member.id, role: 'owner' } }), { timeoutMs: 600_000 });
  return { tenantId, file, run };
}

const database = await createTestDatabase('crm_bench_retries');
const db = createDb({ url: database.appUrl, poolSize: 4 });
try {
  const baseline = await organisationWithSubmittedDebits(db, 'import seul');
  const subject = await organisationWithSubmittedDebits(db, 'import et retries');
  const retries = bindHandlerDeps(handlerOf('retries')!, handlerDepsFactory({ storage: NO_DOCUMENT_STORAGE, clock: () => now }));

  const baseStarted = performance.now();
  const baseReport = await baseline.run((deps) => importBankReturns(deps, { fileName: 'retours.csv', bytes: baseline.file }));
  const baseMs = performance.now() - baseStarted;
  if (baseReport.report.rejected !== COUNT) throw new Error(`baseline: ${baseReport.report.rejected} rejected of ${COUNT}`);

  const started = performance.now();
  const report = await subject.run((deps) => importBankReturns(deps, { fileName: 'retours.csv', bytes: subject.file }));
  const importMs = performance.now() - started;
  // The events as the relay hands them to the consumer (reading the outbox is the relay's work, not timed).
  const rows = await withTenant(db, subject.tenantId, (tx) => tx.outboxEvent.findMany({ where: { tenantId: subject.tenantId, type: 'payment.rejected' }, orderBy: { id: 'asc' } }));
  const events: EventEnvelope[] = rows.map((r) => ({ id: r.id, type: r.type as EventEnvelope['type'], tenantId: r.tenantId, occurredAt: r.occurredAt.toISOString(), payload: r.payload as EventEnvelope['payload'] }));
  const retriesStarted = performance.now();
  for (let i = 0; i < events.length; i += 256) await handleEventsOnce(db, retries, subject.tenantId, events.slice(i, i + 256));
  const retriesMs = performance.now() - retriesStarted;
  const totalMs = importMs + retriesMs;

  const decided = await withTenant(db, subject.tenantId, (tx) => tx.paymentRetry.groupBy({ by: ['decision'], _count: true, orderBy: { decision: 'asc' } }));
  const represented = decided.find((d) => d.decision === 'represent')?._count ?? 0;
  if (report.report.rejected !== COUNT || decided.reduce((s, d) => s + d._count, 0) !== COUNT) throw new Error('not every rejection was decided');

  console.log(`return file of ${fmt(COUNT)} rejections, ${fmt(represented)} re-presented, load average ${loadavg()[0]!.toFixed(1)}`);
  console.log(`  baseline, import alone:          ${(baseMs / 1000).toFixed(2)} s`);
  console.log(`  import:                          ${(importMs / 1000).toFixed(2)} s`);
  console.log(`  retries consumer (256 per call): ${(retriesMs / 1000).toFixed(2)} s, ${(retriesMs / COUNT).toFixed(3)} ms per rejection`);
  console.log(`  import + re-presentations:       ${(totalMs / 1000).toFixed(2)} s (goal <= 10 s)`);
  console.log(`  ratio import alone / import + re-presentations: ${(baseMs / totalMs).toFixed(2)}`);
} finally {
  await db.$disconnect();
  await database.drop();
}
