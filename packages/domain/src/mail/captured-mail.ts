import type { Db } from '@crm/db';
import { z } from 'zod';
import { ZEmail } from '../shared/identifiers.schema.ts';
import { notFound } from '../shared/errors.ts';

export const ZListCapturedMailInput = z.strictObject({ to: ZEmail.optional() }).optional();
export type TListCapturedMailInput = z.infer<typeof ZListCapturedMailInput>;

/**
 * The system's mail as a development mail catcher shows it: the newest first, every recipient's.
 * Only with mail capture on (embedded mode, development, tests), never in production, where it
 * would hand anyone the links of other people's accounts: off, it does not exist (NOT_FOUND).
 */
export async function listCapturedMail(deps: { db: Db; mailCapture: boolean }, input: TListCapturedMailInput) {
  if (!deps.mailCapture) throw notFound('Page');
  const mails = await deps.db.systemMail.findMany({
    where: input?.to ? { recipient: input.to } : {},
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 50,
    select: { id: true, recipient: true, subject: true, textBody: true, link: true, status: true, createdAt: true },
  });
  return mails.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() }));
}
