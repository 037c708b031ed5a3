import {
  addAdjustment,
  addPlanVersion,
  assignPlan,
  createPlan,
  getStatement,
  issueStatements,
  listCommissionLines,
  listPlans,
  listStatements,
  payrollExport,
  repCommissionSummary,
  simulatePlan,
  updateRepCommission,
  ZAddAdjustmentInput,
  ZAddPlanVersionInput,
  ZAssignPlanInput,
  ZCreatePlanInput,
  ZIssueStatementsInput,
  ZListCommissionLinesInput,
  ZListStatementsInput,
  ZPayrollExportInput,
  ZRepCommissionSummaryInput,
  ZSimulatePlanInput,
  ZStatementIdInput,
  ZUpdateRepCommissionInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { documentDeps } from '../document-deps.ts';
import { tenantProcedure } from '../procedures.ts';

// Who sees which rep's lines and statements is PostgreSQL's (row-level security on the rep).
export const commissionsRouter = {
  plans: tenantProcedure.access('commissions.read').query(({ ctx }) => listPlans(ctx.deps)),
  createPlan: tenantProcedure.access('commissions.plans').input(ZCreatePlanInput).mutation(({ ctx, input }) => createPlan(ctx.deps, input)),
  addPlanVersion: tenantProcedure.access('commissions.plans').input(ZAddPlanVersionInput).mutation(({ ctx, input }) => addPlanVersion(ctx.deps, input)),
  assignPlan: tenantProcedure.access('commissions.plans').input(ZAssignPlanInput).mutation(({ ctx, input }) => assignPlan(ctx.deps, input)),
  // Writes nothing: what a month would have paid.
  simulate: tenantProcedure.access('commissions.read').input(ZSimulatePlanInput).query(({ ctx, input }) => simulatePlan(ctx.deps, input)),
  lines: tenantProcedure.access('commissions.read').input(ZListCommissionLinesInput).query(({ ctx, input }) => listCommissionLines(ctx.deps, input)),
  statements: tenantProcedure.access('commissions.read').input(ZListStatementsInput).query(({ ctx, input }) => listStatements(ctx.deps, input)),
  statement: tenantProcedure.access('commissions.read').input(ZStatementIdInput).query(({ ctx, input }) => getStatement(ctx.deps, input)),
  issueStatements: tenantProcedure.access('commissions.write').input(ZIssueStatementsInput).mutation(({ ctx, input }) => issueStatements(documentDeps(ctx), input)),
  addAdjustment: tenantProcedure.access('commissions.write').input(ZAddAdjustmentInput).mutation(({ ctx, input }) => addAdjustment(ctx.deps, input)),
  payrollExport: tenantProcedure.access('commissions.write').input(ZPayrollExportInput).query(({ ctx, input }) => payrollExport(ctx.deps, input)),
  repSummary: tenantProcedure.access('commissions.read').input(ZRepCommissionSummaryInput).query(({ ctx, input }) => repCommissionSummary(ctx.deps, input)),
  updateRep: tenantProcedure.access('commissions.write').input(ZUpdateRepCommissionInput).mutation(({ ctx, input }) => updateRepCommission(ctx.deps, input)),
} satisfies TRPCRouterRecord;
