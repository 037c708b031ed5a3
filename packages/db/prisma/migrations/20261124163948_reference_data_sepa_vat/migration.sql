-- CreateTable
CREATE TABLE "sepa_return_reasons" (
    "code" VARCHAR(4) NOT NULL,
    "label_fr" TEXT NOT NULL,
    "can_represent" BOOLEAN NOT NULL,

    CONSTRAINT "sepa_return_reasons_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "vat_rates" (
    "code" TEXT NOT NULL,
    "rate_basis_points" INTEGER NOT NULL,
    "label_fr" TEXT NOT NULL,

    CONSTRAINT "vat_rates_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "civilities" (
    "code" TEXT NOT NULL,
    "label_fr" TEXT NOT NULL,

    CONSTRAINT "civilities_pkey" PRIMARY KEY ("code")
);

-- Read-only for the application, like the other reference data.
REVOKE INSERT, UPDATE, DELETE ON sepa_return_reasons, vat_rates, civilities FROM crm_app;

INSERT INTO sepa_return_reasons (code, label_fr, can_represent) VALUES
  ('AC01', 'Identifiant de compte incorrect (IBAN invalide)', false),
  ('AC04', 'Compte clôturé', false),
  ('AC06', 'Compte bloqué', false),
  ('AC13', 'Type de compte du débiteur invalide', false),
  ('AG01', 'Opération interdite sur ce type de compte', false),
  ('AG02', 'Code opération incorrect', false),
  ('AM04', 'Provision insuffisante', true),
  ('AM05', 'Opération en double', false),
  ('BE05', 'Identifiant du créancier incorrect', false),
  ('CNOR', 'Banque du créancier non joignable', false),
  ('DNOR', 'Banque du débiteur non joignable', false),
  ('FF01', 'Format de fichier invalide', false),
  ('MD01', 'Absence de mandat', false),
  ('MD02', 'Données du mandat manquantes ou erronées', false),
  ('MD06', 'Remboursement demandé par le débiteur', false),
  ('MD07', 'Débiteur décédé', false),
  ('MS02', 'Refus du débiteur, motif non communiqué', false),
  ('MS03', 'Motif non communiqué par la banque', true),
  ('RC01', 'BIC incorrect', false),
  ('RR01', 'Identification du débiteur manquante ou incorrecte', false),
  ('RR02', 'Nom ou adresse du débiteur manquant', false),
  ('RR03', 'Nom ou adresse du créancier manquant', false),
  ('RR04', 'Motif réglementaire', false),
  ('SL01', 'Service spécifique de la banque du débiteur (liste noire ou blanche)', false);

INSERT INTO vat_rates (code, rate_basis_points, label_fr) VALUES
  ('NORMAL', 2000, 'Taux normal (20 %)'),
  ('INTERMEDIAIRE', 1000, 'Taux intermédiaire (10 %)'),
  ('REDUIT', 550, 'Taux réduit (5,5 %)'),
  ('PARTICULIER', 210, 'Taux particulier (2,1 %)'),
  ('EXONERE', 0, 'Exonéré (0 %)');

INSERT INTO civilities (code, label_fr) VALUES ('M', 'Monsieur'), ('MME', 'Madame');
