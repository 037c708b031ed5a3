import { createTestDatabase, type TestDatabase } from '../../packages/db/test/test-database.ts';
import type { TestProject } from 'vitest/node';

let database: TestDatabase | undefined;

export async function setup(project: TestProject): Promise<void> {
  database = await createTestDatabase();
  project.provide('databaseUrl', database.appUrl);
  project.provide('ownerDatabaseUrl', database.ownerUrl);
}

export async function teardown(): Promise<void> {
  await database?.drop();
}
