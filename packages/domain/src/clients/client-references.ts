import type { Tx } from '@crm/db';

export interface ClientReference {
  table: string;
  column: string;
}

let cached: Promise<ClientReference[]> | undefined;

/**
 * Every column that points at a client, read from PostgreSQL's catalog (the foreign keys to
 * `clients`): activities and appointments today, contracts, invoices, payments, documents...
 * as later domains add them. Merging and the GDPR export walk this list, so a new table that
 * references clients is moved and exported without touching them.
 */
export function clientReferences(tx: Tx): Promise<ClientReference[]> {
  cached ??= tx
    .$queryRaw<ClientReference[]>`
      SELECT c.conrelid::regclass::text AS "table", a.attname AS "column"
      FROM pg_constraint c
      CROSS JOIN LATERAL unnest(c.conkey) AS k(attnum)
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
      WHERE c.contype = 'f' AND c.confrelid = 'clients'::regclass AND c.conrelid <> 'clients'::regclass
        AND a.attname <> 'tenant_id'
      ORDER BY 1, 2`
    .catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
  return cached;
}

/** A catalog identifier as SQL (they come from pg_catalog, quoted all the same). */
export const sqlIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;
