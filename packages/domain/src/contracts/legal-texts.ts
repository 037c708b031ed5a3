import type { SepaLocalInstrument } from '../sepa/sepa-direct-debit-types.ts';
import { WITHDRAWAL_PERIOD_TEXT } from './withdrawal-period.ts';

/**
 * The legal wording a signer is shown, kept once, here: the API serves it with the contract
 * (`legal` in contract-record.ts, also on the hand-over and the remote signing pages), the web
 * renders what it is given, the PDFs print the same strings, and signing stores them as evidence
 * (`consent_text`, and all of them in the signature snapshot). A second copy in the web app once
 * drifted from the stored one; tests compare what a signer was shown with the evidence kept, byte
 * for byte, on every signing path.
 */

/** What the signer agrees to by ticking the box; stored with the evidence of the signature. */
export const SIGNATURE_CONSENT_TEXT =
  "J'ai lu le contrat et ses conditions, et je le signe électroniquement ; je reconnais que cette signature m'engage comme une signature manuscrite.";

/** The standard French wording of a SEPA mandate (CORE or B2B), naming the creditor. */
export function mandateWording(scheme: SepaLocalInstrument, creditor: string): string {
  return (
    `En signant ce formulaire de mandat, vous autorisez (A) ${creditor} à envoyer des instructions à votre banque pour débiter votre compte, et (B) votre banque à débiter votre compte conformément aux instructions de ${creditor}. ` +
    (scheme === 'B2B'
      ? 'Ce mandat est destiné uniquement aux transactions interentreprises. Vous n’avez pas droit au remboursement par votre banque après que votre compte a été débité, mais vous avez le droit de demander à votre banque de ne pas débiter votre compte jusqu’au jour de l’échéance. Votre banque doit avoir été informée de ce mandat avant le premier prélèvement.'
      : "Vous bénéficiez du droit d'être remboursé par votre banque selon les conditions décrites dans la convention que vous avez passée avec elle. Une demande de remboursement doit être présentée dans les 8 semaines suivant la date de débit de votre compte pour un prélèvement autorisé.")
  );
}

/**
 * The withdrawal notice of a consumer contract (Code de la consommation L221-18 to L221-25), as
 * paragraphs, naming the trader as the withdrawal form must (name, postal address, e-mail).
 */
export function withdrawalNotice(trader: string): string[] {
  return [
    'Le client consommateur peut se rétracter du présent contrat sans avoir à motiver sa décision ni à supporter d’autres coûts que ceux prévus par la loi ' +
      `(articles L221-18 et suivants du Code de la consommation). ${WITHDRAWAL_PERIOD_TEXT}`,
    `Pour l’exercer, il notifie sa décision de se rétracter au prestataire (${trader}) par une déclaration dénuée d’ambiguïté, ` +
      'par exemple au moyen du formulaire de rétractation joint au présent contrat, envoyée avant l’expiration du délai. Le prestataire rembourse tous les paiements reçus ' +
      'au plus tard quatorze jours après avoir été informé de la décision, par le même moyen de paiement. Si le client a demandé que le service commence avant la fin du délai, ' +
      'il paie le montant correspondant au service fourni jusqu’à la communication de sa décision, proportionnellement au prix total.',
  ];
}

/** The texts a signer of one contract is shown and that signing keeps: the consent, the mandate, the withdrawal notice. */
export interface LegalTexts {
  signatureConsent: string;
  /** The mandate's wording, for a contract paid by SEPA direct debit; null otherwise. */
  mandate: string | null;
  /** The withdrawal notice's paragraphs, for a consumer contract; null otherwise. */
  withdrawal: string[] | null;
}

export function legalTextsFor(
  contract: { paymentMethod: string; sepaScheme: SepaLocalInstrument; consumer: boolean },
  creditor: string,
  trader: string,
): LegalTexts {
  return {
    signatureConsent: SIGNATURE_CONSENT_TEXT,
    mandate: contract.paymentMethod === 'sepa_debit' ? mandateWording(contract.sepaScheme, creditor) : null,
    withdrawal: contract.consumer ? withdrawalNotice(trader) : null,
  };
}
