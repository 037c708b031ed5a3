import { createServer } from 'node:http';
import { jwtVerify } from 'jose';
import pg from 'pg';

// The baseline of `auth.me`: bare node:http + pg, verifying the same JWT and running the same
// SQL as the tRPC procedure does through Prisma (one transaction: set_config, then the one
// query Prisma's join strategy sends, copied from the PostgreSQL log). No framework, no ORM,
// no validation, no logging.
const ME_SQL = `SELECT "t0"."id", "t0"."email", "t0"."name", "User_memberships"."__prisma_data__" AS "memberships"
FROM "public"."users" AS "t0" LEFT JOIN LATERAL (
  SELECT COALESCE(JSONB_AGG("__prisma_data__"), '[]') AS "__prisma_data__" FROM (
    SELECT "t3"."__prisma_data__" FROM (
      SELECT JSONB_BUILD_OBJECT('id', "t2"."id", 'role', "t2"."role", 'tenantId', "t2"."tenant_id", 'organisation', "Membership_organisation"."__prisma_data__") AS "__prisma_data__", "t2"."created_at", "t2"."tenant_id"
      FROM (SELECT "t1".* FROM "public"."memberships" AS "t1" WHERE "t0"."id" = "t1"."user_id") AS "t2"
      LEFT JOIN LATERAL (SELECT JSONB_BUILD_OBJECT('id', "t5"."id", 'name', "t5"."name") AS "__prisma_data__" FROM "public"."organisations" AS "t5" WHERE "t2"."tenant_id" = "t5"."id" LIMIT $1) AS "Membership_organisation" ON true
    ) AS "t3" ORDER BY "t3"."created_at" ASC
  ) AS "t4"
) AS "User_memberships" ON true WHERE ("t0"."id" = $2 AND 1=1) LIMIT $3`;
const { DATABASE_URL, JWT_SECRET, PORT } = process.env as Record<string, string>;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const secret = new TextEncoder().encode(JWT_SECRET);

createServer((req, res) => {
  if (req.url === '/ready') return void res.end('ok');
  void (async () => {
    const token = req.headers.authorization?.slice(7) ?? '';
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], issuer: 'crm-api', audience: 'crm-web' });
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("select set_config('app.user_id', $1, true)", [payload.sub]);
      const me = await client.query(ME_SQL, [1, payload.sub, 1]);
      await client.query('COMMIT');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(me.rows[0]));
    } finally {
      client.release();
    }
  })().catch(() => {
    res.statusCode = 401;
    res.end();
  });
}).listen(Number(PORT), '127.0.0.1');
