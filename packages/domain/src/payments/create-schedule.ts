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
  const periods = planSchedule({
    startDate: isoOf(contract.startDate),
    durationMonths: contract.durationMonths,
    frequency: contract.billingFrequency,
    debitDay: contract.debitDay ?? organisation.sepaDebitDay,
    lines: contract.lines,
  });
  await tx.scheduleItem.createMany({
    data: periods.map((p) => ({
      tenantId,
      contractId,
      clientId: contract.clientId,
      mandateId,
      periodStart: dateOf(p.periodStart),
      periodEnd: dateOf(p.periodEnd),
      dueDate: dateOf(p.dueDate),
      amountCents: p.amountCents,
      paymentMethod: contract.paymentMethod,
    })),
  });
  return { mandateId, created: periods.length };
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
