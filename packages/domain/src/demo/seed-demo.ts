import { withTenant } from '@crm/db';
import { signUp } from '../auth/sign-up.ts';
import type { AuthDeps } from '../shared/context.ts';

export const DEMO_LOGIN = { email: 'demo@crm.local', password: 'demo-crm-2026' } as const;

/**
 * The organisation a new user finds when running the CRM on embedded defaults. Idempotent:
 * does nothing when the demo account exists.
 */
export async function seedDemo(deps: AuthDeps): Promise<{ created: boolean; email: string; password: string }> {
  const exists = await deps.db.user.count({ where: { email: DEMO_LOGIN.email } });
  if (exists > 0) return { created: false, ...DEMO_LOGIN };
  const session = await signUp(
    deps,
    { name: 'Camille Martin', email: DEMO_LOGIN.email, password: DEMO_LOGIN.password, organisationName: 'Démo Assurances' },
    { ip: '127.0.0.1', userAgent: 'seed' },
  );
  await withTenant(deps.db, session.organisationId!, (tx) =>
    tx.organisation.update({
      where: { id: session.organisationId! },
      data: {
        legalName: 'Démo Assurances SAS',
        legalForm: 'SAS',
        siren: '732829320',
        siret: '73282932000074',
        vatNumber: 'FR44732829320',
        addressLine1: '12 rue de la Paix',
        postalCode: '75002',
        city: 'Paris',
        country: 'FR',
        invoicePrefix: 'DEMO',
      },
    }),
  );
  return { created: true, ...DEMO_LOGIN };
}
