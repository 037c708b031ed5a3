import type { z } from 'zod';
import type { JobDeps } from './job-deps.ts';

/**
 * A kind of timed job: its handler runs in the tenant's transaction with the job's completion
 * (exactly once). A handler that throws rolls its work back; the job is retried with backoff up
 * to `maxAttempts` (a recurring job then waits for its next occurrence). `recurring`: every
 * tenant gets one job of this kind, under `key`, run by `rule` (recurrence.ts).
 */
export interface JobKind<P = unknown> {
  kind: string;
  /** A short French label for the operations page. */
  label: string;
  payload: z.ZodType<P>;
  run(deps: JobDeps, payload: P): Promise<unknown>;
  recurring?: { key: string; rule: string; payload: P };
  maxAttempts?: number;
}

/**
 * Typed where it is written; the registry holds kinds of any payload, and the runner parses each
 * payload with the kind's own schema before calling `run`, so erasing P here is safe.
 */
export const defineJobKind = <P>(kind: JobKind<P>): JobKind<unknown> => kind;

export type JobKinds = readonly JobKind<unknown>[];
