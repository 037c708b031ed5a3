import { serveRawBaseline } from './raw-server.ts';

// The baseline of `clients.list`: the SQL the tRPC procedure runs (entering the tenant with the
// membership check in one statement, then the 51-row keyset page by name), around raw-server's
// transaction.
serveRawBaseline(
  async (client, claims) => {
    const page = await client.query(
      `SELECT id, kind::text, display_name, sort_name, email, phone, mobile, city, status::text, tags, sales_rep_id, created_at FROM clients
       WHERE tenant_id = $1 AND status IN ('prospect', 'active', 'inactive') ORDER BY sort_name ASC, id ASC LIMIT 51`,
      [claims.tid],
    );
    return { items: page.rows.slice(0, 50) };
  },
  'SELECT member_id, member_role FROM crm_enter_tenant($1::uuid, $2::uuid)',
);
