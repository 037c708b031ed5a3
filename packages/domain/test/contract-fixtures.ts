import { withTenant } from '@crm/db';
import {
  createClient,
  createContract,
  createProduct,
  DEFAULT_MAX_DOCUMENT_BYTES,
  sendContract,
  signContract,
  ZCreateContractInput,
  ZSignContractInput,
  type DocumentDeps,
  type DocumentStorage,
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
  /** Signed in Lyon unless told otherwise (the fixture's clients have no address). */
  const sign = (contractId: string, options: { now?: Date; storage?: DocumentStorage; signerName?: string; signedPlace?: string } = {}) =>
    run(
      (deps) => signContract(deps, ZSignContractInput.parse({ contractId, signerName: options.signerName ?? 'Jean Dupont', consent: true, signedPlace: options.signedPlace ?? 'Lyon' }), EVIDENCE),
      options.now,
      options.storage,
    );
  return { auth, owner, member, run, person, company, product, create, sentContract, sign };
}
