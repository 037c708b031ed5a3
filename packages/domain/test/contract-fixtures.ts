import { withTenant } from '@crm/db';
import {
  bindHandlerDeps,
  createClient,
  handleEventOnce,
  handlerDepsFactory,
  handlerOf,
  createContract,
  createProduct,
  DEFAULT_MAX_DOCUMENT_BYTES,
  sendContract,
  signContract,
  ZCreateContractInput,
  ZSignContractInput,
  type DocumentDeps,
  type DocumentStorage,
  type EventEnvelope,
} from '../src/index.ts';
import { ownerTenant } from './harness.ts';

export const IBAN = 'FR76 3000 6000 0112 3456 7890 189';
export const EVIDENCE = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' };

/**
 * A fresh organisation for the contract tests: `run` a use case as its owner (entered as a
 * member, with document storage: `storage`, or another for one call), and the steps to a
 * contract: clients, products, a draft, a SEPA contract sent for signature, its signature.
 */
export async function contractTenant(storage: DocumentStorage, name?: string) {
  const { auth, owner, member, actor } = await ownerTenant(undefined, name);
  const run = <R>(f: (deps: DocumentDeps) => Promise<R>, now = new Date(), documents = storage) =>
    withTenant(auth.db, owner.tenantId, (tx) => f({ tx, now, actor, documents: { storage: documents, maxBytes: DEFAULT_MAX_DOCUMENT_BYTES } }), { userId: owner.userId });
  const person = async (lastName = 'Dupont', firstName = 'Jean') =>
    (await run((deps) => createClient(deps, { kind: 'person', firstName, lastName, ignoreDuplicates: true } as never))).client!;
  const company = async (companyName = 'Boulangerie Martin') =>
    (await run((deps) => createClient(deps, { kind: 'company', companyName, ignoreDuplicates: true } as never))).client!;
  const product = (
    code: string,
    priceCents: number,
    vatRateCode = 'NORMAL',
    effectiveFrom = '2026-01-01',
    billingFrequency: 'one_off' | 'monthly' | 'quarterly' | 'half_yearly' | 'yearly' = 'monthly',
  ) => run((deps) => createProduct(deps, { code, name: `Produit ${code}`, description: '', priceCents, vatRateCode, billingFrequency, effectiveFrom }));
  const create = (input: Record<string, unknown>, now?: Date) => run((deps) => createContract(deps, ZCreateContractInput.parse(input)), now);
  /** A SEPA contract for Jean Dupont, sent for signature. */
  const sentContract = async (now?: Date) => {
    const client = await person();
    const p = await product(`P${Math.random().toString(36).slice(2, 8)}`.toUpperCase(), 4_990);
    const draft = await create({ clientId: client.id, lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'sepa_debit', debtorIban: IBAN }, now);
    return run((deps) => sendContract(deps, { contractId: draft.id }), now);
  };
  /** The contract's latest contract.signed event, as the worker receives it. */
  const signedEvent = async (contractId: string): Promise<EventEnvelope> => {
    const row = await run(({ tx }) =>
      tx.outboxEvent.findFirstOrThrow({ where: { type: 'contract.signed', payload: { path: ['contractId'], equals: contractId } }, orderBy: { occurredAt: 'desc' } }),
    );
    return { id: row.id, type: 'contract.signed', tenantId: row.tenantId, occurredAt: row.occurredAt.toISOString(), payload: row.payload as EventEnvelope<'contract.signed'>['payload'] };
  };
  /** What the worker's documents consumer does with it: stores the signed PDF (once). */
  const storeSigned = async (contractId: string, options: { now?: Date; storage?: DocumentStorage } = {}) => {
    const documents = bindHandlerDeps(handlerOf('documents')!, handlerDepsFactory({ storage: options.storage ?? storage, clock: () => options.now ?? new Date() }));
    return handleEventOnce(auth.db, documents, await signedEvent(contractId));
  };
  /**
   * Signed in Lyon unless told otherwise (the fixture's clients have no address), then the signed
   * PDF stored as the worker's documents consumer does (`storeDocument: false` to leave it out).
   */
  const sign = async (contractId: string, options: { now?: Date; storage?: DocumentStorage; signerName?: string; signedPlace?: string; storeDocument?: boolean } = {}) => {
    const view = await run(
      (deps) => signContract(deps, ZSignContractInput.parse({ contractId, signerName: options.signerName ?? 'Jean Dupont', consent: true, signedPlace: options.signedPlace ?? 'Lyon' }), EVIDENCE),
      options.now,
      options.storage,
    );
    if (options.storeDocument !== false) await storeSigned(contractId, options);
    return view;
  };
  return { auth, owner, member, run, person, company, product, create, sentContract, sign, signedEvent, storeSigned };
}
