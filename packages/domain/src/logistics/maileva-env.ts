import { z } from 'zod';
import { fakeMailevaHosts, MAILEVA_HOSTS, MailevaClient } from '../maileva/maileva-client.ts';

const optionalText = (min: number, message?: string) => z.preprocess((v) => (v === '' ? undefined : v), z.string().min(min, message).optional());

/**
 * Maileva as the API and the worker read it from their environment (the same values in both:
 * the worker posts letters and reconciles them, the API answers the webhook and reads back):
 * - MAILEVA_ENV: none (default: letters stay queued), fake (the local fake, the embedded
 *   default; MAILEVA_FAKE_URL), sandbox or production (Maileva's hosts, with the account's
 *   MAILEVA_CLIENT_ID / _CLIENT_SECRET / _USERNAME / _PASSWORD and MAILEVA_NOTIFICATION_EMAIL);
 * - MAILEVA_WEBHOOK_SECRET (API): the secret of the callback URL `/webhooks/maileva/<secret>`,
 *   or the password of its Basic auth; unset: no webhook, the reconciliation job only.
 */
export const MAILEVA_ENV = {
  MAILEVA_ENV: z.enum(['none', 'fake', 'sandbox', 'production'], 'must be none, fake, sandbox or production').default('none'),
  MAILEVA_FAKE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/, error: 'must be the fake Maileva base URL' }).optional()),
  MAILEVA_CLIENT_ID: optionalText(1),
  MAILEVA_CLIENT_SECRET: optionalText(1),
  MAILEVA_USERNAME: optionalText(1),
  MAILEVA_PASSWORD: optionalText(1),
  MAILEVA_NOTIFICATION_EMAIL: z.preprocess((v) => (v === '' ? undefined : v), z.email('must be an e-mail address').optional()),
  MAILEVA_WEBHOOK_SECRET: optionalText(24, 'must be at least 24 characters'),
};

export type MailevaEnv = z.infer<z.ZodObject<typeof MAILEVA_ENV>>;

export function checkMailevaEnv(env: MailevaEnv, ctx: z.RefinementCtx): void {
  if (env.MAILEVA_ENV === 'fake' && !env.MAILEVA_FAKE_URL) ctx.addIssue({ code: 'custom', path: ['MAILEVA_FAKE_URL'], message: 'required when MAILEVA_ENV=fake' });
  if (env.MAILEVA_ENV === 'sandbox' || env.MAILEVA_ENV === 'production') {
    for (const key of ['MAILEVA_CLIENT_ID', 'MAILEVA_CLIENT_SECRET', 'MAILEVA_USERNAME', 'MAILEVA_PASSWORD', 'MAILEVA_NOTIFICATION_EMAIL'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: `required when MAILEVA_ENV=${env.MAILEVA_ENV}` });
    }
  }
}

/** The client the environment names, or null (MAILEVA_ENV=none). The fake's credentials are its defaults. */
export function mailevaFromEnv(env: MailevaEnv): MailevaClient | null {
  if (env.MAILEVA_ENV === 'none') return null;
  if (env.MAILEVA_ENV === 'fake') {
    return new MailevaClient({
      environment: 'fake',
      ...fakeMailevaHosts(env.MAILEVA_FAKE_URL!),
      clientId: env.MAILEVA_CLIENT_ID ?? 'fake-client',
      clientSecret: env.MAILEVA_CLIENT_SECRET ?? 'fake-secret',
      username: env.MAILEVA_USERNAME ?? 'fake-user',
      password: env.MAILEVA_PASSWORD ?? 'fake-password',
      notificationEmail: env.MAILEVA_NOTIFICATION_EMAIL ?? 'courrier@crm.localhost',
    });
  }
  return new MailevaClient({
    environment: env.MAILEVA_ENV,
    ...MAILEVA_HOSTS[env.MAILEVA_ENV],
    clientId: env.MAILEVA_CLIENT_ID!,
    clientSecret: env.MAILEVA_CLIENT_SECRET!,
    username: env.MAILEVA_USERNAME!,
    password: env.MAILEVA_PASSWORD!,
    notificationEmail: env.MAILEVA_NOTIFICATION_EMAIL!,
  });
}
