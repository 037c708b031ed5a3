import { serveRawBaseline } from './raw-server.ts';

// The baseline of `auth.me`: the one query Prisma's join strategy sends for it (copied from the
// PostgreSQL log), around raw-server's transaction.
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

serveRawBaseline(async (client, claims) => (await client.query<Record<string, unknown>>(ME_SQL, [1, claims.sub, 1])).rows[0]);
