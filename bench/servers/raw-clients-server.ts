import { createServer } from 'node:http';
import { jwtVerify } from 'jose';
import pg from 'pg';

// The baseline of `clients.list`: bare node:http + pg running the SQL the tRPC procedure runs
// (one transaction: set_config, the membership check, the 51-row keyset page by name).
const { DATABASE_URL, JWT_SECRET, PORT } = process.env as Record<string, string>;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const secret = new TextEncoder().encode(JWT_SECRET);

createServer((req, res) => {
  if (req.url === '/ready') return void res.end('ok');
  void (async () => {
    const { payload } = await jwtVerify(req.headers.authorization?.slice(7) ?? '', secret, { algorithms: ['HS256'], issuer: 'crm-api', audience: 'crm-web' });
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true)", [payload.tid, payload.sub]);
      await client.query('SELECT id, role::text FROM memberships WHERE tenant_id = $1 AND user_id = $2 LIMIT 1', [payload.tid, payload.sub]);
      const page = await client.query(
        `SELECT id, kind::text, display_name, sort_name, email, phone, mobile, city, status::text, tags, created_at FROM clients
         WHERE tenant_id = $1 AND status IN ('prospect', 'active', 'inactive') ORDER BY sort_name ASC, id ASC LIMIT 51`,
        [payload.tid],
      );
      await client.query('COMMIT');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ items: page.rows.slice(0, 50) }));
    } finally {
      client.release();
    }
  })().catch(() => {
    res.statusCode = 401;
    res.end();
  });
}).listen(Number(PORT), '127.0.0.1');
