-- Overseas numbers stored with +33 before phones were read with the whole French plan
-- (packages/domain/src/clients/french-numbering.ts): the phone library called 0596, 0263, 0269,
-- 0508 and the 05 87-89 / 02 68 blocks valid French (+33) numbers. They get their territory's
-- own country code; as dialled in France they read the same, so search texts do not change.
CREATE FUNCTION crm_tmp_overseas_e164(phone text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$
    SELECT CASE
      WHEN phone ~ '^\+33(590|69[01]|5987)\d{5,6}$' THEN '+590' || substr(phone, 4)
      WHEN phone ~ '^\+33(596|69[67]|5989)\d{5,6}$' THEN '+596' || substr(phone, 4)
      WHEN phone ~ '^\+33(594|694|5988)\d{5,6}$' THEN '+594' || substr(phone, 4)
      WHEN phone ~ '^\+33(26[239]|69[23]|639|268[89])\d{5,6}$' THEN '+262' || substr(phone, 4)
      WHEN phone ~ '^\+33508\d{6}$' THEN '+508' || substr(phone, 7)
      ELSE phone
    END
  $$;

-- Every tenant's rows: the owner running migrations is subject to the forced policies too.
SELECT set_config('app.system', 'on', false);
UPDATE clients SET phone = crm_tmp_overseas_e164(phone) WHERE phone LIKE '+33%' AND phone <> crm_tmp_overseas_e164(phone);
UPDATE clients SET mobile = crm_tmp_overseas_e164(mobile) WHERE mobile LIKE '+33%' AND mobile <> crm_tmp_overseas_e164(mobile);
UPDATE sales_reps SET phone = crm_tmp_overseas_e164(phone) WHERE phone LIKE '+33%' AND phone <> crm_tmp_overseas_e164(phone);

SELECT set_config('app.system', '', false);
DROP FUNCTION crm_tmp_overseas_e164(text);
