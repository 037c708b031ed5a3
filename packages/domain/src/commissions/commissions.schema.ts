import { z } from 'zod';
import { multilineText, text, ZDay } from '../shared/input-rules.ts';
import { ZPlanRules, ZSimulationInput } from './commission-rules.ts';

const ZPlanId = z.uuid('Plan invalide');
const ZSalesRepId = z.uuid('Commercial invalide');
const ZMonth = ZDay('Mois invalide (AAAA-MM-01)').refine((day) => day.endsWith('-01'), 'Le premier jour du mois (AAAA-MM-01)');

export const ZPlanIdInput = z.strictObject({ planId: ZPlanId });
export type TPlanIdInput = z.infer<typeof ZPlanIdInput>;

export const ZCreatePlanInput = z.strictObject({
  name: text(100).min(1, 'Nom requis'),
  isDefault: z.boolean().default(false),
  effectiveFrom: ZDay(),
  rules: ZPlanRules,
});
export type TCreatePlanInput = z.infer<typeof ZCreatePlanInput>;

/** A new version of a plan's rules from a day on; the earlier versions stay for contracts signed before. */
export const ZAddPlanVersionInput = z.strictObject({ planId: ZPlanId, effectiveFrom: ZDay(), rules: ZPlanRules });
export type TAddPlanVersionInput = z.infer<typeof ZAddPlanVersionInput>;

/** A rep's or a team's plan (one of the two); `planId` null removes the assignment. */
export const ZAssignPlanInput = z
  .strictObject({ planId: ZPlanId.nullable(), salesRepId: ZSalesRepId.optional(), team: text(100).min(1).optional() })
  .refine((input) => (input.salesRepId === undefined) !== (input.team === undefined), { message: 'Un commercial ou une équipe', path: ['salesRepId'] });
export type TAssignPlanInput = z.infer<typeof ZAssignPlanInput>;

/** What a month would have paid under a plan's version in force that month, or under rules being edited. */
export const ZSimulatePlanInput = z.strictObject({
  month: ZMonth,
  planId: ZPlanId.optional(),
  rules: ZPlanRules.optional(),
  contracts: ZSimulationInput.shape.contracts,
});
export type TSimulatePlanInput = z.infer<typeof ZSimulatePlanInput>;

export const ZListCommissionLinesInput = z.strictObject({
  salesRepId: ZSalesRepId.optional(),
  /** The statement month the lines are on (earned lines), or every line when absent. */
  month: ZMonth.optional(),
  status: z.enum(['provisional', 'earned', 'void'], 'Statut inconnu').optional(),
});
export type TListCommissionLinesInput = z.infer<typeof ZListCommissionLinesInput>;

export const ZListStatementsInput = z.strictObject({ salesRepId: ZSalesRepId.optional(), month: ZMonth.optional() });
export type TListStatementsInput = z.infer<typeof ZListStatementsInput>;

export const ZStatementIdInput = z.strictObject({ statementId: z.uuid('Relevé invalide') });
export type TStatementIdInput = z.infer<typeof ZStatementIdInput>;

export const ZIssueStatementsInput = z.strictObject({ month: ZMonth });
export type TIssueStatementsInput = z.infer<typeof ZIssueStatementsInput>;

export const ZPayrollExportInput = z.strictObject({ month: ZMonth });
export type TPayrollExportInput = z.infer<typeof ZPayrollExportInput>;

/** A manual correction on the rep's next statement: signed amount, reason, its author (the actor). */
export const ZAddAdjustmentInput = z.strictObject({
  salesRepId: ZSalesRepId,
  amountCents: z.number('Montant requis').int('Montant en centimes entiers').min(-10_000_000, 'Montant trop grand').max(10_000_000, 'Montant trop grand').refine((v) => v !== 0, 'Montant non nul'),
  reason: multilineText(500).min(3, 'Motif requis'),
});
export type TAddAdjustmentInput = z.infer<typeof ZAddAdjustmentInput>;

export const ZRepCommissionSummaryInput = z.strictObject({ salesRepId: ZSalesRepId });
export type TRepCommissionSummaryInput = z.infer<typeof ZRepCommissionSummaryInput>;

/** Salaried (payroll export) or independent agent (self-billing, with the agent's identity). */
export const ZUpdateRepCommissionInput = z.strictObject({
  salesRepId: ZSalesRepId,
  commissionStatus: z.enum(['salaried', 'agent'], 'Statut inconnu'),
  payrollId: text(40).nullish(),
  agentLegalName: text(200).nullish(),
  agentSiren: text(9).regex(/^\d{9}$/, 'SIREN : 9 chiffres').nullish(),
  agentVatNumber: text(20).nullish(),
  agentAddress: text(300).nullish(),
  agentVatFranchise: z.boolean().default(false),
});
export type TUpdateRepCommissionInput = z.infer<typeof ZUpdateRepCommissionInput>;
