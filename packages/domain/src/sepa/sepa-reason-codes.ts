// The reason codes of SEPA direct debit R-transactions (EPC guidance on reason codes, ISO
// 20022 external status reason codes) as French banks send them, each with its French label
// and what it means for what comes next. Pure: the payments domain classifies what a return file
// says with it, the retry and dunning work decides on the category, the web shows the label.
// The reference table `sepa_return_reasons` holds the same rows (a test keeps them equal).

/** What a rejection means for what comes next; "re-presentable" is a rule of the category. */
export const REASON_CATEGORIES = [
  'insufficient_funds',
  'account_closed_or_blocked',
  'mandate_problem',
  'debtor_refund_or_dispute',
  'technical',
  'unknown',
] as const;
export type ReasonCategory = (typeof REASON_CATEGORIES)[number];

export const REASON_CATEGORY_LABELS: Record<ReasonCategory, string> = {
  insufficient_funds: 'Provision insuffisante',
  account_closed_or_blocked: 'Compte clos, bloqué ou invalide',
  mandate_problem: 'Problème de mandat',
  debtor_refund_or_dispute: 'Remboursement ou contestation du débiteur',
  technical: 'Erreur technique ou de données',
  unknown: 'Motif inconnu',
};

export interface SepaReason {
  code: string;
  labelFr: string;
  category: ReasonCategory;
}

export const SEPA_REASONS: readonly SepaReason[] = [
  { code: 'AC01', labelFr: 'Identifiant de compte incorrect (IBAN invalide)', category: 'account_closed_or_blocked' },
  { code: 'AC04', labelFr: 'Compte clôturé', category: 'account_closed_or_blocked' },
  { code: 'AC06', labelFr: 'Compte bloqué', category: 'account_closed_or_blocked' },
  { code: 'AC13', labelFr: 'Type de compte du débiteur invalide', category: 'account_closed_or_blocked' },
  { code: 'AG01', labelFr: 'Opération interdite sur ce type de compte', category: 'account_closed_or_blocked' },
  { code: 'AG02', labelFr: 'Code opération incorrect', category: 'technical' },
  { code: 'AM04', labelFr: 'Provision insuffisante', category: 'insufficient_funds' },
  { code: 'AM05', labelFr: 'Opération en double', category: 'technical' },
  { code: 'BE05', labelFr: 'Identifiant du créancier incorrect', category: 'technical' },
  { code: 'CNOR', labelFr: 'Banque du créancier non joignable', category: 'technical' },
  { code: 'CUST', labelFr: 'Annulation demandée par le débiteur', category: 'debtor_refund_or_dispute' },
  { code: 'DNOR', labelFr: 'Banque du débiteur non joignable', category: 'technical' },
  { code: 'DUPL', labelFr: 'Paiement en double', category: 'technical' },
  { code: 'ED05', labelFr: 'Échec du règlement interbancaire', category: 'technical' },
  { code: 'FF01', labelFr: 'Format de fichier invalide', category: 'technical' },
  { code: 'FF05', labelFr: 'Type de prélèvement incorrect', category: 'technical' },
  { code: 'FRAD', labelFr: 'Opération frauduleuse', category: 'debtor_refund_or_dispute' },
  { code: 'MD01', labelFr: 'Absence de mandat', category: 'mandate_problem' },
  { code: 'MD02', labelFr: 'Données du mandat manquantes ou erronées', category: 'mandate_problem' },
  { code: 'MD06', labelFr: 'Remboursement demandé par le débiteur', category: 'debtor_refund_or_dispute' },
  { code: 'MD07', labelFr: 'Débiteur décédé', category: 'account_closed_or_blocked' },
  { code: 'MS02', labelFr: 'Refus du débiteur, motif non communiqué', category: 'debtor_refund_or_dispute' },
  { code: 'MS03', labelFr: 'Motif non communiqué par la banque', category: 'unknown' },
  { code: 'RC01', labelFr: 'BIC incorrect', category: 'technical' },
  { code: 'RR01', labelFr: 'Identification du débiteur manquante ou incorrecte', category: 'technical' },
  { code: 'RR02', labelFr: 'Nom ou adresse du débiteur manquant', category: 'technical' },
  { code: 'RR03', labelFr: 'Nom ou adresse du créancier manquant', category: 'technical' },
  { code: 'RR04', labelFr: 'Motif réglementaire', category: 'technical' },
  { code: 'SL01', labelFr: 'Service spécifique de la banque du débiteur (liste noire ou blanche)', category: 'debtor_refund_or_dispute' },
  { code: 'TM01', labelFr: 'Reçu après l’heure limite', category: 'technical' },
];

const BY_CODE = new Map(SEPA_REASONS.map((reason) => [reason.code, reason]));

/** The reason of a code as a bank wrote it (case and spaces aside), or undefined when it is not one we know. */
export const sepaReasonOf = (code: string | null | undefined): SepaReason | undefined =>
  code ? BY_CODE.get(code.trim().toUpperCase()) : undefined;

export interface ReasonPolicy {
  /** The organisation's bank reports insufficient funds as MS03 ("reason not specified"): off by default. */
  ms03MeansInsufficientFunds: boolean;
}

/** The category of a received code: unknown when missing or not in the table; MS03 per the organisation's setting. */
export function reasonCategoryOf(code: string | null | undefined, policy: ReasonPolicy): ReasonCategory {
  const reason = sepaReasonOf(code);
  if (!reason) return 'unknown';
  if (reason.code === 'MS03' && policy.ms03MeansInsufficientFunds) return 'insufficient_funds';
  return reason.category;
}

/** Only a debit refused for want of funds may be presented again (french-rules §3). */
export const isRepresentable = (category: ReasonCategory): boolean => category === 'insufficient_funds';

/** "Provision insuffisante (AM04)", "Motif inconnu (ZZ99)", "Motif non communiqué" for a missing code. */
export function reasonLabel(code: string | null | undefined): string {
  if (!code) return 'Motif non communiqué';
  const reason = sepaReasonOf(code);
  return `${reason?.labelFr ?? REASON_CATEGORY_LABELS.unknown} (${code})`;
}

/**
 * What kind of R-transaction a rejection is: a reject before settlement, a return after it, or
 * a refund the debtor asked for after it (MD06 for an authorised debit, MD01 for an unauthorised
 * one). A return or refund reopens an amount already counted as paid.
 */
export type RTransactionKind = 'reject' | 'return' | 'refund';

export function rTransactionOf(afterSettlement: boolean, code: string | null | undefined): RTransactionKind {
  if (!afterSettlement) return 'reject';
  const reason = sepaReasonOf(code)?.code;
  return reason === 'MD06' || reason === 'MD01' ? 'refund' : 'return';
}
