import { auditAs } from '../audit/record-audit.ts';
import { loadClient } from '../shared/load-client.ts';
import { assertSchemeAllowed } from '../sepa/sepa-schemes.ts';
import { assertAssignableSalesRep } from '../sales-reps/sales-rep-view.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict } from '../shared/errors.ts';
import type { TCreateContractInput } from './contracts.schema.ts';
import { nextContractNumber, normaliseDebtorBic, normaliseDebtorIban, resolveLines } from './contract-draft.ts';
import { parisDate } from './contract-view.ts';
import { reloadContract } from './contract-record.ts';

/**
 * A draft contract for a client the actor may see. Defaults: the client's rep, the products'
 * names, prices in effect at the start date and VAT rates, the first product's billing
 * frequency, consumer for a person, the CORE scheme. The number is taken from the tenant's counter in this
 * transaction.
 */
export async function createContract(deps: TenantDeps, input: TCreateContractInput) {
  const { tx, actor, now } = deps;
  const client = await loadClient(deps, input.clientId, { id: true, kind: true, status: true, displayName: true, salesRepId: true });
  if (client.status === 'archived') throw conflict('Client archivé : restaurez-le pour lui faire un contrat');
  const salesRepId = input.salesRepId === undefined ? client.salesRepId : input.salesRepId;
  if (salesRepId && salesRepId !== client.salesRepId) await assertAssignableSalesRep(tx, actor.tenantId, salesRepId);
  const { lines, firstFrequency } = await resolveLines(deps, input.lines, input.startDate, input.billingFrequency);
  const billingFrequency = input.billingFrequency ?? firstFrequency;
  if (!billingFrequency) throw badRequest('Fréquence requise', { billingFrequency: ['Fréquence requise'] });
  const consumer = input.consumer ?? client.kind === 'person';
  const sepaScheme = input.sepaScheme ?? 'CORE';
  assertSchemeAllowed(sepaScheme, { kind: client.kind, consumer }, 'sepaScheme');
  const debtorIban = normaliseDebtorIban(input.debtorIban);
  const debtorBic = normaliseDebtorBic(input.debtorBic);
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { contractPrefix: true } });
  const number = await nextContractNumber(tx, actor.tenantId, organisation.contractPrefix, parisDate(now).slice(0, 4));

  const contract = await tx.contract.create({
    data: {
      tenantId: actor.tenantId,
      number,
      clientId: client.id,
      salesRepId: salesRepId ?? null,
      billingFrequency,
      startDate: new Date(input.startDate),
      durationMonths: input.durationMonths,
      tacitRenewal: input.tacitRenewal,
      paymentMethod: input.paymentMethod,
      consumer,
      preNotificationDays: input.preNotificationDays ?? null,
      debitDay: input.debitDay ?? null,
      rejectFeeCents: input.rejectFeeCents ?? null,
      debtorName: input.debtorName || (input.paymentMethod === 'sepa_debit' ? client.displayName : null),
      debtorIban,
      debtorBic,
      sepaScheme,
      notes: input.notes ?? '',
      lines: { createMany: { data: lines } },
      stateChanges: { create: { toStatus: 'draft', actorUserId: actor.userId, at: now } },
    },
    select: { id: true },
  });
  await auditAs(tx, actor, { action: 'contract.created', entityType: 'contract', entityId: contract.id, data: { number, clientId: client.id } });
  return reloadContract(deps, contract.id);
}
