import { isUuid, newId, type Tx } from '@crm/db';
import { hashSecret, newSecret } from '../auth/tokens.ts';
import { queueTenantMail } from '../effects/tenant-effects.ts';
import { parisDay } from '../shared/paris-day.ts';
import type { ContractRow } from './contract-view.ts';

const frenchDay = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** How long a mailed signing link works: long enough to read at home, short enough not to linger. */
export const SIGNING_LINK_TTL_DAYS = 7;
export const SIGNING_LINK_MAIL_TEMPLATE = 'contract-signing-link';
export type SigningLinkRevocation = 'resent' | 'contract_changed' | 'signed_elsewhere';

/** `<tenant id>.<secret>`: the tenant says where to look (under its RLS), only the secret's sha256 is stored. */
export function newSigningToken(tenantId: string): { token: string; tokenHash: string } {
  const secret = newSecret();
  return { token: `${tenantId}.${secret}`, tokenHash: hashSecret(secret) };
}

export function parseSigningToken(token: string): { tenantId: string; tokenHash: string } | null {
  const [tenantId, secret, ...rest] = token.split('.');
  if (rest.length > 0 || !tenantId || !secret || !isUuid(tenantId)) return null;
  return { tenantId, tokenHash: hashSecret(secret) };
}

/** Every live link of the contract stops working (resent, cancelled, signed another way). */
export async function revokeSigningLinks(tx: Tx, tenantId: string, contractId: string, reason: SigningLinkRevocation, now: Date): Promise<number> {
  const revoked = await tx.contractSigningLink.updateMany({
    where: { tenantId, contractId, revokedAt: null, usedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  return revoked.count;
}

/**
 * Mails the client a one-time link to read and sign `contract` at a distance (the page
 * /signature#<token>), valid SIGNING_LINK_TTL_DAYS; any earlier link is revoked. The mail is an
 * outgoing effect recorded in the caller's transaction (the worker's sender delivers it after
 * commit); its id is kept on the link as its delivery record. Null when the client has no e-mail
 * address: the contract can then only be signed in the app.
 */
export async function issueSigningLink(
  deps: { tx: Tx; actor: { tenantId: string; userId: string }; now: Date },
  contract: ContractRow,
  config: { appUrl: string },
): Promise<{ recipient: string; expiresAt: string } | null> {
  const { tx, actor, now } = deps;
  const recipient = contract.client.email?.trim();
  if (!recipient) return null;
  await revokeSigningLinks(tx, actor.tenantId, contract.id, 'resent', now);
  const { token, tokenHash } = newSigningToken(actor.tenantId);
  const id = newId();
  const expiresAt = new Date(now.getTime() + SIGNING_LINK_TTL_DAYS * 24 * 60 * 60 * 1000);
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { name: true, contactEmail: true } });
  const idempotencyKey = `contract-signing-link:${id}`;
  const person = contract.client.kind === 'person' ? [contract.client.firstName, contract.client.lastName].filter(Boolean).join(' ') : null;
  await queueTenantMail(tx, actor.tenantId, {
    recipient,
    template: SIGNING_LINK_MAIL_TEMPLATE,
    subject: `Votre contrat ${contract.number} à signer`,
    // Plain text only: client-mail's helpers import contracts (a cycle), and a link reads the same without HTML.
    textBody: [
      person ? `Bonjour ${person},` : 'Bonjour,',
      `${organisation.name} vous invite à lire et à signer électroniquement votre contrat n° ${contract.number}.`,
      `Ouvrez ce lien personnel pour lire le contrat${contract.paymentMethod === 'sepa_debit' ? ', le mandat de prélèvement SEPA' : ''} et l’échéancier, puis signer :\n${config.appUrl}/signature#${token}`,
      `Ce lien ne sert qu’une fois et expire le ${frenchDay(parisDay(expiresAt))}. Ne le transférez pas : il permet de signer en votre nom.`,
      organisation.contactEmail ? `${organisation.name}\nContact : ${organisation.contactEmail}` : organisation.name,
    ].join('\n\n') + '\n',
    idempotencyKey,
    createdBy: actor.userId,
    clientId: contract.clientId,
  });
  const effect = await tx.outgoingEffect.findFirst({ where: { tenantId: actor.tenantId, idempotencyKey }, select: { id: true } });
  await tx.contractSigningLink.create({
    data: {
      id,
      tenantId: actor.tenantId,
      contractId: contract.id,
      clientId: contract.clientId,
      tokenHash,
      recipient,
      expiresAt,
      createdBy: actor.userId,
      mailEffectId: effect?.id ?? null,
      createdAt: now,
    },
  });
  return { recipient, expiresAt: expiresAt.toISOString() };
}

/** The latest link of a contract, as its page shows it (never the token: only its hash exists). */
export async function latestSigningLink(tx: Tx, tenantId: string, contractId: string, now: Date) {
  const link = await tx.contractSigningLink.findFirst({
    where: { tenantId, contractId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { recipient: true, createdAt: true, expiresAt: true, revokedAt: true, usedAt: true, mailEffectId: true },
  });
  if (!link) return null;
  const effect = link.mailEffectId
    ? await tx.outgoingEffect.findFirst({ where: { tenantId, id: link.mailEffectId }, select: { status: true, sentAt: true } })
    : null;
  const status = link.usedAt ? 'used' : link.revokedAt ? 'revoked' : link.expiresAt <= now ? 'expired' : 'live';
  return {
    recipient: link.recipient,
    createdAt: link.createdAt.toISOString(),
    expiresAt: link.expiresAt.toISOString(),
    status,
    mailStatus: effect?.status ?? null,
    mailSentAt: effect?.sentAt?.toISOString() ?? null,
  } as const;
}
