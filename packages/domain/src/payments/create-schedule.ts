import type { Tx } from '@crm/db';
import { PermanentEventError } from '../events/event-handler.ts';
import { reserveCounter } from '../shared/counters.ts';
import { dateOf, isoOf } from './dates.ts';
import { planSchedule } from './schedule-rules.ts';

/**
 * What signing a contract starts on the payments side: for a SEPA debit contract its mandate
 * (RUM "RUM-<year>-<000001>" from a per-tenant counter, the debtor's bank details as entered on
 * the contract, signed on the contract's signature date, where the contract was signed), then one
 * planned schedule item per period (schedule-rules.ts). Safe to run again: a contract that
 * already has a mandate keeps it, one that already has items gets none added.
 */
export async function createContractSchedule(tx: Tx, tenantId: string, contractId: string) {
  const contract = await tx.contract.findFirst({
    where: { id: contractId, tenantId },
    include: { lines: { orderBy: { position: 'asc' } }, client: { select: { city: true, displayName: true } } },
  });
  if (!contract) throw new PermanentEventError(`contract ${contractId} not found`);
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { sepaDebitDay: true } });

  let mandateId: string | null = null;
  if (contract.paymentMethod === 'sepa_debit') {
    const existing = await tx.sepaMandate.findFirst({ where: { tenantId, contractId }, orderBy: { createdAt: 'asc' }, select: { id: true } });
    if (existing) mandateId = existing.id;
    else {
      if (!contract.debtorIban) throw new PermanentEventError(`contract ${contract.number}: SEPA debit without an IBAN`);
      const signedOn = contract.signedOn ?? contract.signedAt ?? contract.startDate;
      const year = isoOf(signedOn).slice(0, 4);
      const n = await reserveCounter(tx, tenantId, `sepa.rum.${year}`);
      const mandate = await tx.sepaMandate.create({
        data: {
          tenantId,
          clientId: contract.clientId,
          contractId,
          rum: `RUM-${year}-${String(n).padStart(6, '0')}`,
          debtorName: contract.debtorName ?? contract.client.displayName,
          iban: contract.debtorIban,
          bic: contract.debtorBic,
          signedOn: dateOf(isoOf(signedOn)),
          signedPlace: contract.signedPlace ?? contract.client.city ?? '',
          scheme: contract.sepaScheme, // as chosen with the contract (and still amendable: amendMandate)
          recurrent: contract.billingFrequency !== 'one_off',
        },
      });
      mandateId = mandate.id;
    }
  }

  if ((await tx.scheduleItem.count({ where: { tenantId, contractId } })) > 0) return { mandateId, created: 0 };
  const created = await writePlannedItems(tx, tenantId, contract, {
    startDate: isoOf(contract.startDate),
    debitDay: contract.debitDay ?? organisation.sepaDebitDay,
    mandateId,
  });
  return { mandateId, created };
}

/**
 * Plans a contract's items for its duration from `startDate` (schedule-rules.ts: its first term
 * from its start, or a renewed term from the day after the last one ended) and writes them,
 * planned. Returns how many.
 */
export async function writePlannedItems(
  tx: Tx,
  tenantId: string,
  contract: {
    id: string;
    clientId: string;
    durationMonths: number;
    billingFrequency: Parameters<typeof planSchedule>[0]['frequency'];
    paymentMethod: 'sepa_debit' | 'transfer' | 'card' | 'cheque';
    lines: Parameters<typeof planSchedule>[0]['lines'];
  },
  from: { startDate: string; debitDay: number; mandateId: string | null },
): Promise<number> {
  const periods = planSchedule({
    startDate: from.startDate,
    durationMonths: contract.durationMonths,
    frequency: contract.billingFrequency,
    debitDay: from.debitDay,
    lines: contract.lines,
  });
  await tx.scheduleItem.createMany({
    data: periods.map((p) => ({
      tenantId,
      contractId: contract.id,
      clientId: contract.clientId,
      mandateId: from.mandateId,
      periodStart: dateOf(p.periodStart),
      periodEnd: dateOf(p.periodEnd),
      dueDate: dateOf(p.dueDate),
      amountCents: p.amountCents,
      paymentMethod: contract.paymentMethod,
    })),
  });
  return periods.length;
}

/**
 * A contract that ends on `endDate`: its planned items for periods starting after that day are
 * cancelled. Items already batched, submitted or settled are the bank's and stay as they are.
 */
export async function cancelItemsAfter(tx: Tx, tenantId: string, contractId: string, endDate: string): Promise<number> {
  const { count } = await tx.scheduleItem.updateMany({
    where: { tenantId, contractId, status: 'planned', periodStart: { gt: dateOf(endDate) } },
    data: { status: 'cancelled' },
  });
  return count;
}

/** A contract cancelled before it ran: every planned item is cancelled. */
export async function cancelPlannedItems(tx: Tx, tenantId: string, contractId: string): Promise<number> {
  const { count } = await tx.scheduleItem.updateMany({ where: { tenantId, contractId, status: 'planned' }, data: { status: 'cancelled' } });
  return count;
}
