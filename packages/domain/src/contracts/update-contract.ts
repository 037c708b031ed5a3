import type { Prisma } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import { assertSchemeAllowed } from '../sepa/sepa-schemes.ts';
import { assertAssignableSalesRep } from '../sales-reps/sales-rep-view.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict } from '../shared/errors.ts';
import { priceForPeriod } from '../products/price-per-period.ts';
import type { TUpdateContractInput } from './contracts.schema.ts';
import { normaliseDebtorBic, normaliseDebtorIban, resolveLines } from './contract-draft.ts';
import { CONTRACT_STATUS_LABELS, isoDay, loadContract } from './contract-view.ts';
import { reloadContract } from './contract-record.ts';

/** Changes a draft (and only a draft): what is given; lines, when given, replace the old ones. */
export async function updateContract(deps: TenantDeps, input: TUpdateContractInput) {
  const { tx, actor } = deps;
  const { contractId, lines: lineInput, ...fields } = input;
  const current = await loadContract(deps, contractId);
  if (current.status !== 'draft') {
    throw conflict(`Seul un brouillon est modifiable : le contrat ${current.number} est « ${CONTRACT_STATUS_LABELS[current.status]} »`);
  }
  if (fields.salesRepId && fields.salesRepId !== current.salesRepId) await assertAssignableSalesRep(tx, actor.tenantId, fields.salesRepId);
  // A draft made B2B that becomes a consumer's (or the reverse) is refused like a new one.
  assertSchemeAllowed(fields.sepaScheme ?? current.sepaScheme, { kind: current.client.kind, consumer: fields.consumer ?? current.consumer }, 'sepaScheme');
  const data: Prisma.ContractUncheckedUpdateManyInput = {};
  if (fields.salesRepId !== undefined) data.salesRepId = fields.salesRepId;
  if (fields.billingFrequency !== undefined) data.billingFrequency = fields.billingFrequency;
  if (fields.startDate !== undefined) data.startDate = new Date(fields.startDate);
  if (fields.durationMonths !== undefined) data.durationMonths = fields.durationMonths;
  if (fields.tacitRenewal !== undefined) data.tacitRenewal = fields.tacitRenewal;
  if (fields.paymentMethod !== undefined) data.paymentMethod = fields.paymentMethod;
  if (fields.consumer !== undefined) data.consumer = fields.consumer;
  if (fields.preNotificationDays !== undefined) data.preNotificationDays = fields.preNotificationDays;
  if (fields.debitDay !== undefined) data.debitDay = fields.debitDay;
  if (fields.rejectFeeCents !== undefined) data.rejectFeeCents = fields.rejectFeeCents;
  if (fields.debtorName !== undefined) data.debtorName = fields.debtorName || null;
  if (fields.debtorIban !== undefined) data.debtorIban = normaliseDebtorIban(fields.debtorIban);
  if (fields.debtorBic !== undefined) data.debtorBic = normaliseDebtorBic(fields.debtorBic);
  if (fields.sepaScheme !== undefined) data.sepaScheme = fields.sepaScheme;
  if (fields.notes !== undefined) data.notes = fields.notes;

  const frequency = fields.billingFrequency ?? current.billingFrequency;
  if (lineInput) {
    const { lines } = await resolveLines(deps, lineInput, fields.startDate ?? isoDay(current.startDate), frequency);
    await tx.contractLine.deleteMany({ where: { tenantId: actor.tenantId, contractId } });
    await tx.contractLine.createMany({ data: lines.map((line) => ({ ...line, tenantId: actor.tenantId, contractId })) });
  } else if (frequency !== current.billingFrequency) {
    // The lines' prices are per period of the contract: a new period converts them (a quarterly
    // 150.00 becomes 50.00 a month), as the catalogue's prices are converted for a new line.
    for (const line of current.lines) {
      const unitPriceCents = priceForPeriod(line.unitPriceCents, current.billingFrequency, frequency);
      if (unitPriceCents === null) {
        const message = 'Un contrat ponctuel ne devient pas périodique (ni l’inverse) sans changer ses lignes';
        throw badRequest(message, { billingFrequency: [message] });
      }
      await tx.contractLine.updateMany({ where: { id: line.id, tenantId: actor.tenantId, contractId }, data: { unitPriceCents } });
    }
  }
  // Only while still a draft: a concurrent `send` wins and this update is refused.
  const updated = await tx.contract.updateMany({ where: { id: contractId, tenantId: actor.tenantId, status: 'draft' }, data });
  if (updated.count === 0) throw conflict(`Le contrat ${current.number} vient de changer d'état : rechargez la page`);
  await auditAs(tx, actor, {
    action: 'contract.updated',
    entityType: 'contract',
    entityId: contractId,
    data: { fields: [...Object.keys(fields), ...(lineInput ? ['lines'] : [])] },
  });
  return reloadContract(deps, contractId);
}
