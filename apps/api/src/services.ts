import type { Db } from '@crm/db';
import { DEFAULT_AUTH_TTLS, systemClock } from '@crm/domain';
import type { CrmServices } from '@crm/trpc';

/** Builds the API's long-lived dependencies the same way for the server, embedded mode and tests. */
export function buildServices(params: { db: Db; jwtSecret: string; issuer?: string; audience?: string }): CrmServices {
  return {
    db: params.db,
    clock: systemClock,
    auth: {
      secret: new TextEncoder().encode(params.jwtSecret),
      issuer: params.issuer ?? 'crm-api',
      audience: params.audience ?? 'crm-web',
      ...DEFAULT_AUTH_TTLS,
    },
  };
}
