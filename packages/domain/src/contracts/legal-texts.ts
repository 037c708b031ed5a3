/**
 * The legal wording a signer is shown, kept once, here: the API serves it with the contract
 * (`legal` in toContractView) and the web renders what it is given, and signing stores the same
 * constant as evidence. A second copy in the web app once drifted from the stored one; the
 * browser test compares the sentence shown with the evidence kept, byte for byte.
 */

/** What the signer agrees to by ticking the box; stored with the evidence of the signature. */
export const SIGNATURE_CONSENT_TEXT =
  "J'ai lu le contrat et ses conditions, et je le signe électroniquement ; je reconnais que cette signature m'engage comme une signature manuscrite.";
