import { withTenant, type Db, type Tx } from '@crm/db';
import { maskIban } from '../access/iban-disclosure.ts';
import { reserveAttempt, tooManyAttempts, type ThrottleRule } from '../auth/throttle.ts';
import { planSchedule, type Frequency } from '../payments/schedule-rules.ts';
import type { Clock } from '../shared/clock.ts';
import type { ClientInfo } from '../shared/context.ts';
import { DomainError } from '../shared/errors.ts';
import type { TSignByLinkInput, TSigningTokenInput } from './contracts.schema.ts';
import { contractPdfData } from './contract-documents.ts';
import { contractTotals, isoDay, lineTotals, loadContract } from './contract-view.ts';
import { contractLegalTexts, recordSignature } from './record-signature.ts';
import { parseSigningToken } from './signing-links.ts';

/** What the public signing page may ask per IP: a person reading and signing, never a scan of tokens. */
export const SIGNING_LINK_THROTTLE: ThrottleRule = { limit: 30, windowSeconds: 10 * 60, blockSeconds: 15 * 60 };
/** The same answer for a malformed, unknown, another tenant's, expired, used or revoked link: nothing to learn. */
const GONE = 'Ce lien de signature est invalide, expiré ou a déjà servi. Demandez-en un nouveau à votre conseiller.';
const SCHEDULE_SHOWN = 12;

export interface SigningLinkDeps {
  db: Db;
  clock: Clock;
}

async function throttle(deps: SigningLinkDeps, client: ClientInfo, now: Date) {
  if (!client.ip) return;
  const reservation = await reserveAttempt(deps.db, `signing-link-ip:${client.ip}`, SIGNING_LINK_THROTTLE, now);
  if (!reservation.allowed) throw tooManyAttempts('signature', reservation.retryAfter);
}

/** The live link of `tokenHash` under the tenant's RLS, or null. */
const liveLink = (tx: Tx, tenantId: string, tokenHash: string, now: Date) =>
  tx.contractSigningLink.findFirst({
    where: { tenantId, tokenHash, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, contractId: true, expiresAt: true, mailEffectId: true, recipient: true },
  });

/**
 * What the public signing page shows (no login: the link is the only credential): the
 * organisation, the contract (lines, totals, duration, payment), the debited account masked but
 * recognisable (FR76 •••• 0189), the schedule of the first debits, and the legal texts the
 * signer is shown and that signing keeps. Throttled per IP; anything but a live link of a
 * contract waiting for its signature answers the same NOT_FOUND.
 */
export async function getSigningPage(deps: SigningLinkDeps, input: TSigningTokenInput, client: ClientInfo) {
  const now = deps.clock();
  await throttle(deps, client, now);
  const parsed = parseSigningToken(input.token);
  if (!parsed) throw new DomainError('NOT_FOUND', GONE);
  const page = await withTenant(deps.db, parsed.tenantId, async (tx) => {
    const link = await liveLink(tx, parsed.tenantId, parsed.tokenHash, now);
    if (!link) return null;
    const scope = { tx, actor: { tenantId: parsed.tenantId } };
    const contract = await loadContract(scope, link.contractId);
    if (contract.status !== 'sent') return null;
    const data = await contractPdfData(scope, contract);
    const periods = planSchedule({
      startDate: data.startDate,
      durationMonths: data.durationMonths,
      frequency: data.billingFrequency as Frequency,
      debitDay: data.debitDay,
      lines: data.lines,
    });
    return {
      organisation: { name: data.organisation.name },
      expiresAt: link.expiresAt.toISOString(),
      contract: {
        number: contract.number,
        client: { kind: contract.client.kind, displayName: contract.client.displayName, city: contract.client.city },
        billingFrequency: contract.billingFrequency,
        startDate: isoDay(contract.startDate),
        durationMonths: contract.durationMonths,
        tacitRenewal: contract.tacitRenewal,
        paymentMethod: contract.paymentMethod,
        consumer: contract.consumer,
        debitDay: data.debitDay,
        preNotificationDays: data.preNotificationDays,
        debtorName: contract.debtorName,
        debtorIban: contract.debtorIban ? maskIban(contract.debtorIban) : null,
        sepaScheme: contract.sepaScheme,
        lines: contract.lines.map((line) => ({ id: line.id, label: line.label, quantity: line.quantity, unitPriceCents: line.unitPriceCents, vatRateBasisPoints: line.vatRateBasisPoints, ...lineTotals(line) })),
        totals: contractTotals(contract.lines),
      },
      schedule: { periods: periods.slice(0, SCHEDULE_SHOWN), total: periods.length },
      legal: contractLegalTexts(data),
    };
  });
  if (!page) throw new DomainError('NOT_FOUND', GONE);
  return page;
}

/**
 * Signs through a mailed link, with the evidence of a signature in the app (typed name checked
 * against the client, consent, time, IP, user agent, sha256 of the document presented) plus the
 * link's delivery record (the mail effect that carried it and when it was sent). The link is
 * used up in the same transaction; a refused signature (a wrong name) leaves it usable. The rep
 * is told by the notifications consumer on contract.signed.
 */
export async function signByLink(deps: SigningLinkDeps, input: TSignByLinkInput, client: ClientInfo) {
  const now = deps.clock();
  await throttle(deps, client, now);
  const parsed = parseSigningToken(input.token);
  if (!parsed) throw new DomainError('NOT_FOUND', GONE);
  const { tenantId, tokenHash } = parsed;
  const signed = await withTenant(deps.db, tenantId, async (tx) => {
    const link = await liveLink(tx, tenantId, tokenHash, now);
    if (!link) return null;
    const claimed = await tx.contractSigningLink.updateMany({
      where: { id: link.id, tenantId, usedAt: null, revokedAt: null },
      data: { usedAt: now, usedIp: client.ip ?? null },
    });
    if (claimed.count !== 1) return null;
    const contract = await loadContract({ tx, actor: { tenantId } }, link.contractId);
    if (contract.status !== 'sent') return null;
    const effect = link.mailEffectId ? await tx.outgoingEffect.findFirst({ where: { tenantId, id: link.mailEffectId }, select: { sentAt: true } }) : null;
    const mailSentAt = effect?.sentAt ?? null;
    await tx.contractSigningLink.updateMany({ where: { id: link.id, tenantId }, data: { mailSentAt } });
    await recordSignature({ tx, actor: { tenantId, userId: null }, now }, contract, {
      signerName: input.signerName,
      signerCapacity: input.signerCapacity,
      signedPlace: input.signedPlace,
      channel: 'remote',
      request: client,
      delivery: { linkId: link.id, mailEffectId: link.mailEffectId, mailSentAt: mailSentAt?.toISOString() ?? null, recipient: link.recipient },
    });
    return { number: contract.number, signedAt: now.toISOString() };
  });
  if (!signed) throw new DomainError('NOT_FOUND', GONE);
  return signed;
}
