import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from './generated/prisma/client.ts';

export type Db = PrismaClient;

export interface DbOptions {
  /** Connection string of the application role (never a superuser or BYPASSRLS role). */
  url: string;
  /** Pool size; PostgreSQL work per request is small, Node's CPU is the limit. */
  poolSize?: number;
}

export function createDb(options: DbOptions): Db {
  const adapter = new PrismaPg({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  });
  return createDbFromAdapter(adapter);
}

export function createDbFromAdapter(adapter: SqlDriverAdapterFactory): Db {
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 5_000, timeout: 15_000 } });
}
