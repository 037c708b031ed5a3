// What tooling/test/global-setup.ts provides to every test file (vitest `inject`).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's migrated database, as the application role crm_app. */
    databaseUrl: string;
    /** The same database as its owner: catalog checks only. */
    ownerDatabaseUrl: string;
  }
}
