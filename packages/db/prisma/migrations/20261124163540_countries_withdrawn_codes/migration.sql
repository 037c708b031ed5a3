-- The country list came from CLDR region names, which still know five codes ISO 3166-1
-- withdrew (Dahomey, Upper Volta, New Hebrides, Southern Rhodesia, North Vietnam). Addresses
-- and SEPA need current codes only.
DELETE FROM countries WHERE code IN ('DY', 'HV', 'NH', 'RH', 'VD');
