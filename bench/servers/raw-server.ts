import { createServer } from 'node:http';
import { jwtVerify, type JWTPayload } from 'jose';
import pg from 'pg';

/**
 * What every baseline does around its SQL: bare node:http, the same JWT check as the API, one
 * transaction on a pg pool of 10 with the tenant and user set. No framework, no ORM, no logs.
 */
export function serveRawBaseline(
  handle: (client: pg.PoolClient, claims: JWTPayload) => Promise<unknown>,
  /** The transaction's first statement, given $1 = tenant and $2 = user (the API's, for the route measured). */
  enter = "select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true)",
): void {
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
        await client.query(enter, [payload.tid ?? '', payload.sub]);
        const body = await handle(client, payload);
        await client.query('COMMIT');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
      } finally {
        client.release();
      }
    })().catch(() => {
      res.statusCode = 401;
      res.end();
    });
  }).listen(Number(PORT), '127.0.0.1');
}
