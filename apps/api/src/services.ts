import type { Db } from '@crm/db';
import { DEFAULT_AUTH_TTLS, systemClock, type DocumentServices, type InvoicePlatform, type MailAccountsConfig, type NotificationSignal } from '@crm/domain';
import type { CrmServices } from '@crm/trpc';

/** Builds the API's long-lived dependencies the same way for the server, embedded mode and tests. */
export function buildServices(params: {
  db: Db;
  jwtSecret: string;
  issuer?: string;
  audience?: string;
  /** The web app's public URL, for links in account mail. */
  appUrl: string;
  mailCapture: boolean;
  notificationSignal?: NotificationSignal;
  documents?: DocumentServices;
  importMaxBytes?: number;
  /** The approved e-invoicing platform (PA_URL); none by default. */
  platform?: InvoicePlatform | null;
  /** The users' own mail accounts (MAIL_MASTER_KEY, provider client ids); none by default. */
  mailAccounts?: MailAccountsConfig | null;
}): CrmServices {
  return {
    db: params.db,
    importMaxBytes: params.importMaxBytes,
    notificationSignal: params.notificationSignal,
    documents: params.documents,
    platform: params.platform ?? null,
    mailAccounts: params.mailAccounts ?? null,
    mailCapture: params.mailCapture,
    clock: systemClock,
    auth: {
      secret: new TextEncoder().encode(params.jwtSecret),
      issuer: params.issuer ?? 'crm-api',
      audience: params.audience ?? 'crm-web',
      ...DEFAULT_AUTH_TTLS,
      appUrl: params.appUrl,
    },
  };
}

/** Turns a LISTEN on crm_notifications (payload: the recipient's user id) into per-user wake-ups. */
export function notificationSignalFrom(onNotify: (callback: (payload: string) => void) => () => void): NotificationSignal {
  return (userId, callback) => onNotify((payload) => {
    if (payload === '' || payload === userId) callback();
  });
}
