import type { BankReturnLine } from '../sepa/bank-return-types.ts';
import { reasonCategoryOf, rTransactionOf, sepaReasonOf, type ReasonCategory, type ReasonPolicy, type RTransactionKind } from '../sepa/sepa-reason-codes.ts';

// What one line of a bank return file may do to the debit it names (pure: import-returns.ts
// reads the debits, applies the decisions and writes the report).

/**
 * Where a line comes from: the file names the debit (`line`), or a status for a whole payment
 * block or the whole file is spread over the debits of our batch it answers (`block`, `file`).
 */
export type ReturnLineSource = 'line' | 'block' | 'file';
export type ReturnLine = BankReturnLine & { source: ReturnLineSource };

export type DebitStatus = 'planned' | 'batched' | 'submitted' | 'paid' | 'rejected' | 'cancelled';

/** The debit a line names, as the import knows it so far (earlier lines of the same file included). */
export interface ReturnedDebit {
  status: DebitStatus;
  amountCents: number;
  /** The return file of its latest rejection, if any. */
  rejectedBy: string | null;
}

export type ReturnDecision =
  /** Nothing to do; the line is listed as not matching a debit waiting for that answer. */
  | { kind: 'unmatched'; why: string }
  /** Not applied; a person must look (the report's problems). */
  | { kind: 'problem'; message: string }
  /** A debit the bank took, not settled yet: counted, nothing changes. */
  | { kind: 'accept' }
  /** The debit is rejected (or returned, refunded after payment); `problem` when its code is unknown. */
  | { kind: 'reject'; reasonCode: string | null; reasonCategory: ReasonCategory; rTransaction: RTransactionKind; problem?: string }
  /** The debit is paid. */
  | { kind: 'settle' };

export const UNKNOWN_DEBIT = 'Aucun prélèvement de l’organisation avec cette référence';

/** Why a line does not apply to a debit in `status` (unmatched lines). */
export const statusWhy = (status: string): string =>
  ({
    planned: 'Échéance non remise à la banque',
    batched: 'Lot pas encore marqué envoyé',
    paid: 'Déjà réglée',
    rejected: 'Déjà rejetée',
    cancelled: 'Échéance annulée',
  })[status] ?? 'Statut incompatible';

/**
 * Why a rejection must not be applied to this debit, or null when it may. A debit already
 * rejected stays as it is (the first rejection holds; another file, or a later line of the same
 * file, saying so again is for a person to look at). A debit already paid is returned only by a
 * line that names it: a status for a whole file or block is the bank refusing what it had not yet
 * settled, so on a paid debit it is a bank error or a later R-transaction that will come on its
 * own line.
 */
export function refusalOf(line: ReturnLine, debit: ReturnedDebit, thisFile: string): string | null {
  if (debit.status === 'rejected') {
    const by = debit.rejectedBy === thisFile ? ' plus haut dans ce fichier' : debit.rejectedBy ? ' par un autre fichier de retours' : '';
    return `déjà rejeté${by}, ce rejet n’est pas appliqué une seconde fois`;
  }
  if (debit.status === 'paid' && line.source !== 'line') {
    const scope = line.source === 'file' ? 'du fichier entier' : 'du lot entier';
    return `déjà réglé : le rejet ${scope} ne s’applique pas à un prélèvement payé (erreur de la banque ou retour à recevoir ligne à ligne)`;
  }
  return null;
}

/**
 * What `line` does to `debit` (undefined: no debit of ours has its EndToEndId), read from
 * `thisFile`. A rejection of a submitted debit is a reject; of a debit already paid, named by its
 * line, a return or a refund that reopens the amount; never twice. A settlement makes a submitted
 * debit paid. An amount that differs from the debit's ignores the line. Anything else is
 * reported, never guessed.
 */
export function decideReturnLine(line: ReturnLine, debit: ReturnedDebit | undefined, thisFile: string, policy: ReasonPolicy): ReturnDecision {
  if (!debit) return { kind: 'unmatched', why: UNKNOWN_DEBIT };
  if (line.amountCents !== undefined && line.amountCents !== debit.amountCents) {
    return { kind: 'problem', message: `${line.endToEndId} : montant ${line.amountCents} centimes au lieu de ${debit.amountCents}, ligne ignorée` };
  }
  if (line.status === 'accepted') return debit.status === 'submitted' ? { kind: 'accept' } : { kind: 'unmatched', why: statusWhy(debit.status) };
  if (line.status === 'rejected') {
    const refused = refusalOf(line, debit, thisFile);
    if (refused) return { kind: 'problem', message: `${line.endToEndId} : ${refused}` };
    if (debit.status !== 'submitted' && debit.status !== 'paid') return { kind: 'unmatched', why: statusWhy(debit.status) };
    // The bank did not pay, or took the money back: the rejection stands whatever its code says.
    // An unknown or missing code is kept as received, classified unknown (never re-presented).
    const reasonCode = line.reasonCode ?? null;
    const decision: ReturnDecision = {
      kind: 'reject',
      reasonCode,
      reasonCategory: reasonCategoryOf(reasonCode, policy),
      rTransaction: rTransactionOf(debit.status === 'paid', reasonCode),
    };
    if (!sepaReasonOf(reasonCode)) {
      decision.problem = `${line.endToEndId} : code motif ${reasonCode ?? '(absent)'} inconnu, rejet enregistré avec ce code et la catégorie « motif inconnu » (pas de nouvelle présentation)`;
    }
    return decision;
  }
  if (debit.status === 'rejected') {
    return { kind: 'problem', message: `${line.endToEndId} : règlement d’un prélèvement déjà rejeté, non appliqué (à vérifier avec la banque)` };
  }
  return debit.status === 'submitted' ? { kind: 'settle' } : { kind: 'unmatched', why: statusWhy(debit.status) };
}
