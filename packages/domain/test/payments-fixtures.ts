import { withTenant } from '@crm/db';
import {
  bindHandlerDeps,
  computeSepaCreditorIdCheckDigits,
  createClient,
  emitEvent,
  handleEventOnce,
  handlerDepsFactory,
  handlerOf,
  NO_DOCUMENT_STORAGE,
  ZCreateClientInput,
  type EventEnvelope,
  type EventType,
  type TenantDeps,
} from '../src/index.ts';
import { newTenant, testAuthDeps } from './harness.ts';

// Shared set-up of the payments tests: a tenant that is a SEPA creditor, its clients and
// contracts written as the contracts domain leaves them when signed, and the payments consumer.

export const ICS = `FR${computeSepaCreditorIdCheckDigits('FR', '123456')}ZZZ123456`;
export const CREDITOR_IBAN = 'FR7630006000011234567890189';
export const DEBTOR_IBAN = 'FR1420041010050500013M02606';
export const OTHER_IBAN = 'DE89370400440532013000';

/**
 * `scheduleIsNotice` (true unless said): the organisation's terms make the schedule the debtor's
 * pre-notification, so batches need no notice per debit (payments-pre-notification.test.ts sets it false).
 */
export async function paymentsTenant(options: { now?: Date; creditor?: boolean; scheduleIsNotice?: boolean } = {}) {
  const auth = testAuthDeps();
  const owner = await newTenant(auth);
  const member = await withTenant(auth.db, owner.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: owner.userId } }));
  let now = options.now ?? new Date('2026-03-02T09:00:00Z');
  const run = <R>(f: (deps: TenantDeps) => Promise<R>) =>
    withTenant(auth.db, owner.tenantId, (tx) => f({ tx, now, actor: { userId: owner.userId, tenantId: owner.tenantId, memberId: member.id, role: 'owner' } }));
  if (options.creditor !== false) {
    await run(({ tx }) =>
      tx.organisation.update({ where: { id: owner.tenantId }, data: { sepaCreditorId: ICS, creditorIban: CREDITOR_IBAN, creditorBic: 'SOGEFRPP', legalName: 'Société Test SAS' } }),
    );
  }
  await run(({ tx }) => tx.organisation.update({ where: { id: owner.tenantId }, data: { sepaScheduleIsNotice: options.scheduleIsNotice ?? true } }));
  const payments = bindHandlerDeps(handlerOf('payments')!, handlerDepsFactory({ storage: NO_DOCUMENT_STORAGE, clock: () => now }));
  let contractCounter = 0;

  async function client(kind: 'person' | 'company' = 'person') {
    const input =
      kind === 'person'
        ? { kind, firstName: 'Hélène', lastName: 'Lefèvre', address: { line1: '5 rue des Lilas', postalCode: '33000', city: 'Bordeaux' } }
        : { kind, companyName: 'Garage Durand', address: { line1: '1 route de Lyon', postalCode: '69000', city: 'Lyon' } };
    const { client } = await run((deps) => createClient(deps, ZCreateClientInput.parse({ ...input, ignoreDuplicates: true })));
    return client!;
  }

  /** A signed contract (as contracts.sign leaves it) and its contract.signed event in the outbox. */
  async function signedContract(fields: {
    clientId?: string;
    billingFrequency?: 'one_off' | 'monthly' | 'quarterly' | 'half_yearly' | 'yearly';
    startDate?: string;
    durationMonths?: number;
    paymentMethod?: 'sepa_debit' | 'transfer' | 'card' | 'cheque';
    debitDay?: number | null;
    preNotificationDays?: number | null;
    consumer?: boolean;
    sepaScheme?: 'CORE' | 'B2B';
    debtorIban?: string;
    debtorBic?: string | null;
    lines?: { quantity: number; unitPriceCents: number; vatRateBasisPoints: number }[];
  } = {}) {
    const clientId = fields.clientId ?? (await client()).id;
    contractCounter++;
    const { contract, event } = await run(async ({ tx }) => {
      const contract = await tx.contract.create({
        data: {
          tenantId: owner.tenantId,
          number: `CT-2026-${String(contractCounter).padStart(4, '0')}`,
          clientId,
          status: 'signed',
          billingFrequency: fields.billingFrequency ?? 'monthly',
          startDate: new Date(`${fields.startDate ?? '2026-03-10'}T00:00:00Z`),
          durationMonths: fields.durationMonths ?? 12,
          paymentMethod: fields.paymentMethod ?? 'sepa_debit',
          consumer: fields.consumer ?? true,
          sepaScheme: fields.sepaScheme ?? 'CORE',
          debitDay: fields.debitDay ?? null,
          preNotificationDays: fields.preNotificationDays ?? null,
          debtorName: 'Hélène Lefèvre',
          debtorIban: fields.debtorIban ?? DEBTOR_IBAN,
          debtorBic: fields.debtorBic === undefined ? 'PSSTFRPPXXX' : fields.debtorBic,
          signedAt: new Date('2026-03-01T10:00:00Z'),
          signedOn: new Date('2026-03-01T00:00:00Z'),
          signerName: 'Hélène Lefèvre',
          lines: {
            create: (fields.lines ?? [{ quantity: 2, unitPriceCents: 1_000, vatRateBasisPoints: 2_000 }]).map((line, position) => ({
              label: `Ligne ${position + 1}`,
              position,
              ...line,
            })),
          },
        },
      });
      const event = await emitEvent(tx, {
        type: 'contract.signed',
        tenantId: owner.tenantId,
        payload: { contractId: contract.id, clientId, salesRepId: null, signedAt: '2026-03-01T10:00:00.000Z' },
      });
      return { contract, event };
    });
    return { contract, event };
  }

  /** What the worker does with an event for the payments consumer. */
  const deliver = (event: EventEnvelope) => handleEventOnce(auth.db, payments, event);

  async function emit<T extends EventType>(type: T, payload: EventEnvelope<T>['payload']) {
    return run(({ tx }) => emitEvent(tx, { type, tenantId: owner.tenantId, payload }));
  }

  const outbox = (type: string) =>
    run(({ tx }) => tx.outboxEvent.findMany({ where: { tenantId: owner.tenantId, type }, orderBy: { occurredAt: 'asc' } }));

  return {
    auth,
    owner,
    run,
    client,
    signedContract,
    deliver,
    emit,
    outbox,
    setNow: (date: Date) => {
      now = date;
    },
  };
}

export async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; fieldErrors?: Record<string, string[]> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string; fieldErrors?: Record<string, string[]> };
  }
  throw new Error('expected a failure');
}
