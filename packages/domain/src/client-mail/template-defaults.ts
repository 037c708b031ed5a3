// The automated mails an organisation may reword (Paramètres > Modèles de courriels), with their
// default texts: exactly what was sent before templates existed. A body is paragraphs separated
// by a blank line; `{{variable}}` is replaced by the record's value (a paragraph left empty by its
// variables is dropped). Values are plain text: the HTML part escapes them.

export interface TemplateDefinition {
  label: string;
  /** Service mail (never needs consent) or marketing (consent and an unsubscribe link). */
  kind: 'service' | 'marketing';
  subject: string;
  body: string;
  /** The variables it may use, with what they hold (shown in the editor). */
  variables: Record<string, string>;
}

const COMMON = {
  'salutation': '« Bonjour Jean Dupont, » (ou « Bonjour, » pour une société)',
  'client.nom': 'le nom du client (personne ou société)',
  'client.email': 'l’adresse du client',
  'organisation.nom': 'le nom de l’organisation',
  'organisation.contact': 'l’adresse de contact de l’organisation',
  'signature': 'le nom de l’organisation et son adresse de contact',
};

export const MAIL_TEMPLATES = {
  'client.welcome': {
    label: 'Bienvenue au nouveau client',
    kind: 'service',
    subject: 'Bienvenue chez {{organisation.nom}}',
    body: [
      '{{salutation}}',
      'Nous avons le plaisir de vous compter parmi nos clients. Votre dossier est ouvert chez {{organisation.nom}}.',
      '{{contact.phrase}}',
      'Bien cordialement,',
      '{{signature}}',
    ].join('\n\n'),
    variables: { ...COMMON, 'contact.phrase': 'comment poser une question (par l’adresse de contact, ou en répondant)' },
  },
  'contract.signed_copy': {
    label: 'Copie du contrat signé',
    kind: 'service',
    subject: 'Votre contrat {{contrat.numero}} signé',
    body: [
      '{{salutation}}',
      'Vous avez signé le contrat {{contrat.numero}} le {{contrat.date_signature}}. Vous en trouverez ci-joint l’exemplaire signé ({{contrat.fichier}}), à conserver.',
      '{{contrat.retractation}}',
      'Bien cordialement,',
      '{{signature}}',
    ].join('\n\n'),
    variables: {
      ...COMMON,
      'contrat.numero': 'le numéro du contrat',
      'contrat.date_signature': 'la date de signature (JJ/MM/AAAA)',
      'contrat.fichier': 'le nom du PDF joint',
      'contrat.retractation': 'le rappel du délai de rétractation (consommateur seulement, vide sinon)',
    },
  },
  'payment.rejected_notice': {
    label: 'Avis de prélèvement rejeté',
    kind: 'service',
    subject: 'Prélèvement rejeté{{contrat.objet}}',
    body: [
      '{{salutation}}',
      '{{prelevement.evenement}}{{contrat.mention}}.',
      'Motif indiqué par la banque : {{prelevement.motif}}.',
      '{{prelevement.suite}}',
      'Bien cordialement,',
      '{{signature}}',
    ].join('\n\n'),
    variables: {
      ...COMMON,
      'contrat.objet': '« – contrat N° » quand le prélèvement porte sur un contrat, vide sinon',
      'contrat.mention': '« (contrat N°) » ou vide',
      'prelevement.evenement': 'ce qui est arrivé, avec le montant et la date',
      'prelevement.motif': 'le motif de la banque, en français, avec son code',
      'prelevement.suite': 'la suite, selon le motif',
    },
  },
  'invoice.issued': {
    label: 'Envoi d’une facture ou d’un avoir',
    kind: 'service',
    subject: '{{document.titre}} {{facture.numero}}',
    body: [
      '{{salutation}}',
      'Veuillez trouver ci-joint {{document.nom}} {{facture.numero}} du {{facture.date}}, d’un montant de {{facture.montant_ttc}} TTC{{facture.periode}}.',
      '{{facture.paiement}}',
      'Bien cordialement,',
      '{{signature}}',
    ].join('\n\n'),
    variables: {
      ...COMMON,
      'document.titre': '« Votre facture » ou « Votre avoir »',
      'document.nom': '« votre facture » ou « votre avoir »',
      'facture.numero': 'le numéro de la facture',
      'facture.date': 'sa date d’émission',
      'facture.montant_ttc': 'son montant TTC',
      'facture.periode': '« , pour la période du … au … » ou vide',
      'facture.paiement': 'comment et quand elle est payée (prélèvement : vaut pré-notification)',
    },
  },
} as const satisfies Record<string, TemplateDefinition>;

export type MailTemplateKey = keyof typeof MAIL_TEMPLATES;
export const MAIL_TEMPLATE_KEYS = Object.keys(MAIL_TEMPLATES) as MailTemplateKey[];
