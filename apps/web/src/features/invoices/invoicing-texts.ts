// French texts of the e-invoicing components (kept beside them until the lead moves them into
// i18n/fr.ts with the invoices pages).
export const invoicingTexts = {
  exports: {
    title: 'Exports comptables',
    from: 'Du',
    to: 'Au',
    fec: 'Exporter le journal (FEC)',
    eReporting: 'E-reporting',
    auditTrail: "Piste d'audit (CSV)",
    auditTrailHint: 'Chaque facture avec son contrat, son mandat, ses prélèvements et leurs paiements, et l’empreinte de la facture émise.',
    fecHint: 'Journal des ventes au format du FEC (séparateur « | »), une écriture équilibrée par facture ou avoir émis sur la période.',
    eReportingHint: 'Ventes aux particuliers par jour, taux de TVA et nature (biens, services), et encaissements des prestations de services.',
    exported: (entries: number, name: string) => `${entries} écriture${entries > 1 ? 's' : ''} exportée${entries > 1 ? 's' : ''} : ${name}`,
    downloaded: (name: string) => `Fichier téléchargé : ${name}`,
  },
  platform: {
    title: 'Plateforme agréée',
    notConfigured: 'Aucune plateforme agréée n’est configurée sur cette installation : les factures ne sont pas transmises.',
    notTransmittable: 'Seules les factures émises à un professionnel, avec leur fichier Factur-X, se transmettent. Les ventes aux particuliers relèvent de l’e-reporting.',
    submit: 'Transmettre à la plateforme',
    refresh: 'Actualiser le statut',
    notTransmitted: 'Non transmise',
    receipt: (id: string, at: string) => `Accusé de dépôt ${id} du ${at}`,
    platformId: 'Identifiant plateforme',
    history: 'Historique des statuts',
    lastError: 'Dernière erreur',
    attempts: (n: number) => `${n} tentative${n > 1 ? 's' : ''}`,
  },
} as const;
