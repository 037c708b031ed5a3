import type { Audience, Channel } from './dunning-rules.ts';

/** The placeholders a step's French text may use; an unknown one is left as written. */
export const TEMPLATE_FIELDS = ['client', 'organisation', 'montant', 'echeances', 'date_limite', 'contact'] as const;
export type TemplateValues = Record<(typeof TEMPLATE_FIELDS)[number], string>;

export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => (name in values ? values[name as keyof TemplateValues] : whole));
}

export interface DefaultStep {
  delayDays: number;
  delayFrom: 'opened' | 'previous';
  channel: Channel;
  subject: string;
  template: string;
  condition: 'no_contract' | null;
}

const reminder = (n: 1 | 2) =>
  n === 1
    ? 'Bonjour {{client}},\n\nSauf erreur de notre part, nous n’avons pas reçu le paiement de {{montant}} ({{echeances}}).\nMerci de régulariser au plus vite, par virement ou en nous contactant ({{contact}}).\n\nSi vous avez réglé entre-temps, ne tenez pas compte de ce message.\n\n{{organisation}}'
    : 'Bonjour {{client}},\n\nMalgré notre précédent rappel, {{montant}} reste à régler ({{echeances}}).\nMerci de régulariser avant le {{date_limite}}. Sans règlement, nous vous adresserons une mise en demeure.\n\n{{organisation}}';

/**
 * The plans every organisation starts with (the plan editor changes them). B2C: two mails, a call,
 * the formal notice by registered letter, then the contract suspended: no fee at any step. B2B: the
 * same, sooner, then termination for non-payment. Prospects: a call, then a follow-up while no
 * contract is signed.
 */
export const DEFAULT_PLANS: Record<Audience, { name: string; steps: DefaultStep[] }> = {
  b2c: {
    name: 'Relance particuliers',
    steps: [
      { delayDays: 3, delayFrom: 'opened', channel: 'email', subject: 'Rappel : paiement non reçu', template: reminder(1), condition: null },
      { delayDays: 10, delayFrom: 'previous', channel: 'email', subject: 'Second rappel : paiement en attente', template: reminder(2), condition: null },
      { delayDays: 5, delayFrom: 'previous', channel: 'task', subject: 'Appeler le client au sujet de l’impayé', template: 'Appeler {{client}} : {{montant}} impayés ({{echeances}}).', condition: null },
      { delayDays: 7, delayFrom: 'previous', channel: 'registered_letter', subject: 'Mise en demeure de payer', template: 'Mise en demeure adressée à {{client}} pour {{montant}}.', condition: null },
      { delayDays: 15, delayFrom: 'previous', channel: 'suspend_contract', subject: 'Suspension du contrat pour impayé', template: 'Contrat de {{client}} suspendu : {{montant}} impayés.', condition: null },
    ],
  },
  b2b: {
    name: 'Relance professionnels',
    steps: [
      { delayDays: 1, delayFrom: 'opened', channel: 'email', subject: 'Rappel : facture impayée', template: reminder(1), condition: null },
      { delayDays: 7, delayFrom: 'previous', channel: 'email', subject: 'Second rappel : facture impayée', template: reminder(2), condition: null },
      { delayDays: 7, delayFrom: 'previous', channel: 'registered_letter', subject: 'Mise en demeure de payer', template: 'Mise en demeure adressée à {{client}} pour {{montant}}.', condition: null },
      { delayDays: 15, delayFrom: 'previous', channel: 'suspend_contract', subject: 'Suspension du contrat pour impayé', template: 'Contrat de {{client}} suspendu : {{montant}} impayés.', condition: null },
      { delayDays: 30, delayFrom: 'previous', channel: 'terminate_contract', subject: 'Résiliation pour impayé', template: 'Contrat de {{client}} résilié pour non-paiement.', condition: null },
    ],
  },
  prospect: {
    name: 'Suivi des prospects',
    steps: [
      { delayDays: 2, delayFrom: 'opened', channel: 'task', subject: 'Appeler le nouveau prospect', template: 'Premier appel à {{client}}.', condition: null },
      { delayDays: 14, delayFrom: 'opened', channel: 'task', subject: 'Relancer le prospect (pas encore de contrat)', template: 'Relancer {{client}} : aucun contrat signé.', condition: 'no_contract' },
    ],
  },
};
