-- The SEPA scheme is chosen with the contract (the mandate signed with it says CORE or B2B);
-- the mandate made when the contract is signed takes it. Existing contracts stay CORE, as their
-- mandates were.
ALTER TABLE "contracts" ADD COLUMN "sepa_scheme" "sepa_scheme" NOT NULL DEFAULT 'CORE';
