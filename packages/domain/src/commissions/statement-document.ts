import type { Tx } from '@crm/db';
import { notFound } from '../shared/errors.ts';
import { asDay } from './commission-lines.ts';
import { monthEnd } from './commission-rules.ts';

/** Everything a statement's PDF and its self-billing invoice show, read from what issuance froze. */
export interface StatementDocument {
  id: string;
  number: string;
  selfBillingNumber: string | null;
  month: string;
  issueDate: string;
  commissionStatus: 'salaried' | 'agent';
  organisation: { name: string; legalForm: string | null; siren: string | null; vatNumber: string | null; address: string; shareCapitalCents: number | null; rcsCity: string | null };
  rep: { id: string; code: string; name: string; payrollId: string | null; legalName: string | null; siren: string | null; vatNumber: string | null; address: string | null; vatFranchise: boolean };
  totals: { openingBalanceCents: number; linesCents: number; clawbacksCents: number; adjustmentsCents: number; totalCents: number; netPayableCents: number; carriedForwardCents: number };
  lines: { id: string; kind: string; label: string; contractNumber: string | null; clientName: string | null; earnedOn: string; amountCents: number; relatedLineId: string | null; reason: string | null }[];
}

/**
 * A statement as issued. Its lines are those of its rep whose statement month is after the
 * previous statement's and up to its own: frozen by the trigger once the statement exists, so the
 * same statement always reads the same lines (and renders the same bytes).
 */
export async function statementDocument(tx: Tx, tenantId: string, statementId: string): Promise<StatementDocument> {
  const s = await tx.commissionStatement.findFirst({
    where: { tenantId, id: statementId },
    include: { salesRep: true, organisation: true },
  });
  if (!s) throw notFound('Relevé');
  const previous = await tx.commissionStatement.findFirst({
    where: { tenantId, salesRepId: s.salesRepId, month: { lt: s.month } },
    orderBy: { month: 'desc' },
    select: { month: true },
  });
  const lines = await tx.commissionLine.findMany({
    where: { tenantId, salesRepId: s.salesRepId, status: 'earned', statementMonth: { lte: s.month, ...(previous ? { gt: previous.month } : {}) } },
    orderBy: [{ earnedOn: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      kind: true,
      label: true,
      earnedOn: true,
      amountCents: true,
      relatedLineId: true,
      reason: true,
      contract: { select: { number: true, client: { select: { displayName: true } } } },
    },
  });
  const o = s.organisation;
  const rep = s.salesRep;
  return {
    id: s.id,
    number: s.number,
    selfBillingNumber: s.selfBillingNumber,
    month: asDay(s.month),
    issueDate: s.issuedAt.toISOString().slice(0, 10),
    commissionStatus: s.commissionStatus === 'agent' ? 'agent' : 'salaried',
    organisation: {
      name: o.legalName ?? o.name,
      legalForm: o.legalForm,
      siren: o.siren,
      vatNumber: o.vatNumber,
      address: [o.addressLine1, o.addressLine2, [o.postalCode, o.city].filter(Boolean).join(' ')].filter(Boolean).join(', '),
      shareCapitalCents: o.shareCapitalCents === null ? null : Number(o.shareCapitalCents),
      rcsCity: o.rcsCity,
    },
    rep: {
      id: rep.id,
      code: rep.code,
      name: `${rep.firstName} ${rep.lastName}`,
      payrollId: rep.payrollId,
      legalName: rep.agentLegalName,
      siren: rep.agentSiren,
      vatNumber: rep.agentVatNumber,
      address: rep.agentAddress,
      vatFranchise: rep.agentVatFranchise,
    },
    totals: {
      openingBalanceCents: s.openingBalanceCents,
      linesCents: s.linesCents,
      clawbacksCents: s.clawbacksCents,
      adjustmentsCents: s.adjustmentsCents,
      totalCents: s.totalCents,
      netPayableCents: s.netPayableCents,
      carriedForwardCents: s.carriedForwardCents,
    },
    lines: lines.map((l) => ({
      id: l.id,
      kind: l.kind,
      label: l.label,
      contractNumber: l.contract?.number ?? null,
      clientName: l.contract?.client.displayName ?? null,
      earnedOn: asDay(l.earnedOn!),
      amountCents: l.amountCents,
      relatedLineId: l.relatedLineId,
      reason: l.reason,
    })),
  };
}

export const statementPeriod = (doc: StatementDocument) => ({ start: doc.month, end: monthEnd(doc.month) });
