import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';

export type Db = PrismaClient;

export interface DbOptions {
  /** Connection string of the application role (never a superuser or BYPASSRLS role). */
  url: string;
  /** Pool size; PostgreSQL work per request is small, Node's CPU is the limit. */
  poolSize?: number;
}

/** What the connection pool holds right now (for metrics): connections open, idle, and callers waiting for one. */
export interface PoolUsage {
  max: number;
  total: number;
  idle: number;
  waiting: number;
}

const pools = new WeakMap<Db, pg.Pool>();

export function createDb(options: DbOptions): Db {
  // Our own pg.Pool handed to the adapter (which ends it on $disconnect), so its counters can be read.
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  });
  const db = createDbFromAdapter(new PrismaPg(pool, { disposeExternalPool: true }));
  pools.set(db, pool);
  return db;
}

export function createDbFromAdapter(adapter: SqlDriverAdapterFactory): Db {
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 5_000, timeout: 15_000 } });
}

/** The pool's counters of a client made by `createDb`; undefined for one made from another adapter. */
export function poolUsage(db: Db): PoolUsage | undefined {
  const pool = pools.get(db);
  if (!pool) return undefined;
  return { max: pool.options.max ?? 10, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}
