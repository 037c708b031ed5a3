import { serveRawBaseline } from './raw-server.ts';

// The baseline of `clients.list`: the SQL the tRPC procedure runs (the membership check, then
// the 51-row keyset page by name), around raw-server's transaction.
serveRawBaseline(async (client, claims) => {
  await client.query('SELECT id, role::text FROM memberships WHERE tenant_id = $1 AND user_id = $2 LIMIT 1', [claims.tid, claims.sub]);
  const page = await client.query(
    `SELECT id, kind::text, display_name, sort_name, email, phone, mobile, city, status::text, tags, created_at FROM clients
     WHERE tenant_id = $1 AND status IN ('prospect', 'active', 'inactive') ORDER BY sort_name ASC, id ASC LIMIT 51`,
    [claims.tid],
  );
  return { items: page.rows.slice(0, 50) };
});
