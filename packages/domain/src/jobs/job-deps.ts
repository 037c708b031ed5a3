import type { Tx } from '@crm/db';
import type { DocumentStorage } from '../documents/document-storage.ts';
import type { MailevaClient } from '../maileva/maileva-client.ts';
import type { InvoicePlatform } from '../platform/platform-port.ts';
import { parisDay } from '../shared/paris-day.ts';

/** The tenant's time zone: business dates and "at 06:00" are Paris wall time. */
export const TENANT_TIME_ZONE = 'Europe/Paris';

/** The job being run, as claimed. */
export interface RunningJob {
  id: string;
  kind: string;
  key: string;
  /** This run's attempt, from 1. */
  attempt: number;
  /** When it was due. */
  runAt: Date;
}

/**
 * What a job handler receives: the tenant's transaction (its work commits with the job's
 * completion, or not at all), the tenant, the clock and the tenant's today in its time zone.
 * The event handlers' deps (effects helper) will be unified with these by the integrator.
 */
export interface JobDeps {
  tx: Tx;
  tenantId: string;
  now: Date;
  /** The tenant's calendar day at `now` ("2026-12-07"). */
  today: string;
  timeZone: typeof TENANT_TIME_ZONE;
  job: RunningJob;
  /** Where generated documents go (issued invoices' artefacts); absent in a process without storage. */
  storage?: DocumentStorage | undefined;
  /** The approved e-invoicing platform; absent or null: none configured. */
  platform?: InvoicePlatform | null | undefined;
  /** Maileva (letters); absent or null: none configured. */
  maileva?: MailevaClient | null | undefined;
}

export function jobDeps(tx: Tx, tenantId: string, now: Date, job: RunningJob, storage?: DocumentStorage, platform?: InvoicePlatform | null, maileva?: MailevaClient | null): JobDeps {
  return { tx, tenantId, now, today: parisDay(now), timeZone: TENANT_TIME_ZONE, job, storage, platform, maileva };
}
