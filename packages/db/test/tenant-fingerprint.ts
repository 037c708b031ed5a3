import { withSystem, type Db } from '../src/index.ts';

/**
 * Every row an organisation owns, hashed table by table (read as the system: row-level security
 * aside), with the organisation's own row: equal before and after means a test changed nothing of it.
 */
export async function tenantFingerprint(db: Db, tenantId: string): Promise<Record<string, string>> {
  return withSystem(db, async (tx) => {
    const tables = await tx.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`;
    const hashes: Record<string, string> = {};
    for (const { table_name: table } of tables) {
      const [row] = await tx.$queryRawUnsafe<{ rows: number; hash: string }[]>(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS hash FROM "${table}" t WHERE tenant_id = $1::uuid`,
        tenantId,
      );
      hashes[table] = `${row!.rows}:${row!.hash}`;
    }
    const [organisation] = await tx.$queryRaw<{ hash: string }[]>`SELECT md5(o::text) AS hash FROM organisations o WHERE id = ${tenantId}::uuid`;
    hashes.organisations = organisation!.hash;
    return hashes;
  });
}
