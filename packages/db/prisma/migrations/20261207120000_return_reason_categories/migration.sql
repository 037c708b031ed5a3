-- A category per SEPA reason code replaces the yes/no "can re-present" flag (re-presenting is now a
-- rule of the category: insufficient funds only, packages/domain/src/sepa/sepa-reason-codes.ts),
-- and the reference table gains the codes it lacked (ED05 among them). A rejected payment keeps
-- the code as the bank sent it (null when it sent none), its category, and its kind of
-- R-transaction (reject before settlement, return or refund after it), which the retry and
-- dunning work build on.

-- CreateEnum
CREATE TYPE "return_reason_category" AS ENUM ('insufficient_funds', 'account_closed_or_blocked', 'mandate_problem', 'debtor_refund_or_dispute', 'technical', 'unknown');

-- CreateEnum
CREATE TYPE "r_transaction_kind" AS ENUM ('reject', 'return', 'refund');

-- AlterTable: some banks report insufficient funds as MS03 ("reason not specified"); off by default.
ALTER TABLE "organisations" ADD COLUMN "sepa_ms03_insufficient_funds" BOOLEAN NOT NULL DEFAULT false;

-- The reference table, as the domain's table has it (a test keeps the two equal).
ALTER TABLE "sepa_return_reasons" ADD COLUMN "category" "return_reason_category";
ALTER TABLE "sepa_return_reasons" DROP COLUMN "can_represent";
INSERT INTO sepa_return_reasons (code, label_fr, category) VALUES
  ('AC01', 'Identifiant de compte incorrect (IBAN invalide)', 'account_closed_or_blocked'),
  ('AC04', 'Compte clôturé', 'account_closed_or_blocked'),
  ('AC06', 'Compte bloqué', 'account_closed_or_blocked'),
  ('AC13', 'Type de compte du débiteur invalide', 'account_closed_or_blocked'),
  ('AG01', 'Opération interdite sur ce type de compte', 'account_closed_or_blocked'),
  ('AG02', 'Code opération incorrect', 'technical'),
  ('AM04', 'Provision insuffisante', 'insufficient_funds'),
  ('AM05', 'Opération en double', 'technical'),
  ('BE05', 'Identifiant du créancier incorrect', 'technical'),
  ('CNOR', 'Banque du créancier non joignable', 'technical'),
  ('CUST', 'Annulation demandée par le débiteur', 'debtor_refund_or_dispute'),
  ('DNOR', 'Banque du débiteur non joignable', 'technical'),
  ('DUPL', 'Paiement en double', 'technical'),
  ('ED05', 'Échec du règlement interbancaire', 'technical'),
  ('FF01', 'Format de fichier invalide', 'technical'),
  ('FF05', 'Type de prélèvement incorrect', 'technical'),
  ('FRAD', 'Opération frauduleuse', 'debtor_refund_or_dispute'),
  ('MD01', 'Absence de mandat', 'mandate_problem'),
  ('MD02', 'Données du mandat manquantes ou erronées', 'mandate_problem'),
  ('MD06', 'Remboursement demandé par le débiteur', 'debtor_refund_or_dispute'),
  ('MD07', 'Débiteur décédé', 'account_closed_or_blocked'),
  ('MS02', 'Refus du débiteur, motif non communiqué', 'debtor_refund_or_dispute'),
  ('MS03', 'Motif non communiqué par la banque', 'unknown'),
  ('RC01', 'BIC incorrect', 'technical'),
  ('RR01', 'Identification du débiteur manquante ou incorrecte', 'technical'),
  ('RR02', 'Nom ou adresse du débiteur manquant', 'technical'),
  ('RR03', 'Nom ou adresse du créancier manquant', 'technical'),
  ('RR04', 'Motif réglementaire', 'technical'),
  ('SL01', 'Service spécifique de la banque du débiteur (liste noire ou blanche)', 'debtor_refund_or_dispute'),
  ('TM01', 'Reçu après l’heure limite', 'technical')
ON CONFLICT (code) DO UPDATE SET label_fr = EXCLUDED.label_fr, category = EXCLUDED.category;
UPDATE sepa_return_reasons SET category = 'unknown' WHERE category IS NULL;
ALTER TABLE "sepa_return_reasons" ALTER COLUMN "category" SET NOT NULL;

-- AlterTable
ALTER TABLE "payments" ADD COLUMN "r_transaction" "r_transaction_kind",
ADD COLUMN "reason_category" "return_reason_category";

-- Rejections stored as MS03 in place of a code the bank sent but the table lacked (or of no code
-- at all): each import's report kept the code it replaced ("<EndToEndId> : code motif <code>
-- inconnu, rejet enregistré comme MS03 ..."); put it back, "(absent)" as null.
UPDATE payments p
SET reason_code = NULLIF(replaced.given, '(absent)')
FROM (
  SELECT f.tenant_id, f.id AS file_id, m[1] AS end_to_end_id, m[2] AS given
  FROM bank_return_files f
  CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(f.report -> 'problems') = 'array' THEN f.report -> 'problems' ELSE '[]'::jsonb END) AS problem
  CROSS JOIN LATERAL regexp_match(problem ->> 'message', '^(\S+) : code motif (\S+) inconnu, rejet enregistré comme MS03') AS m
  WHERE m IS NOT NULL
) replaced
JOIN schedule_items si ON si.tenant_id = replaced.tenant_id AND si.end_to_end_id = replaced.end_to_end_id
WHERE p.tenant_id = replaced.tenant_id
  AND p.return_file_id = replaced.file_id
  AND p.schedule_item_id = si.id
  AND p.outcome = 'rejected'
  AND p.reason_code = 'MS03';

-- The category of every rejection from its code (MS03 is "unknown" until an organisation says otherwise).
UPDATE payments p
SET reason_category = COALESCE((SELECT r.category FROM sepa_return_reasons r WHERE r.code = upper(btrim(p.reason_code))), 'unknown')
WHERE p.outcome = 'rejected';

-- A rejection of a debit already counted as received is a return (a refund for MD06 / MD01).
UPDATE payments p
SET r_transaction = (CASE
  WHEN EXISTS (
    SELECT 1 FROM payments earlier
    WHERE earlier.tenant_id = p.tenant_id AND earlier.schedule_item_id = p.schedule_item_id AND earlier.id <> p.id
      AND earlier.outcome = 'received' AND earlier.created_at <= p.created_at
  ) THEN (CASE WHEN upper(btrim(p.reason_code)) IN ('MD06', 'MD01') THEN 'refund' ELSE 'return' END)
  ELSE 'reject'
END)::r_transaction_kind
WHERE p.outcome = 'rejected';

-- Every rejection says what it is; a payment received says neither.
ALTER TABLE "payments" ADD CONSTRAINT "payments_rejection_kind_check" CHECK (
  (outcome = 'rejected' AND reason_category IS NOT NULL AND r_transaction IS NOT NULL)
  OR (outcome = 'received' AND reason_category IS NULL AND r_transaction IS NULL AND reason_code IS NULL)
);
