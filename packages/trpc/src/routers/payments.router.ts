import {
  getContractSchedule,
  getReturnFile,
  importBankReturnsBase64,
  listPayments,
  listReturnFiles,
  listScheduleItems,
  recordManualPayment,
  previewUnansweredDebits,
  settleUnansweredDebits,
  ZContractScheduleInput,
  ZImportReturnsInput,
  ZListPaymentsInput,
  ZListReturnFilesInput,
  ZListScheduleItemsInput,
  ZRecordManualPaymentInput,
  ZReturnFileIdInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const paymentsRouter = {
  list: tenantProcedure.access('payments.read').input(ZListPaymentsInput).query(({ ctx, input }) => listPayments(ctx.deps, input)),
  items: tenantProcedure.access('payments.read').input(ZListScheduleItemsInput).query(({ ctx, input }) => listScheduleItems(ctx.deps, input)),
  schedule: tenantProcedure.access('payments.read').input(ZContractScheduleInput).query(({ ctx, input }) => getContractSchedule(ctx.deps, input)),
  recordManual: tenantProcedure.access('payments.write').input(ZRecordManualPaymentInput).mutation(({ ctx, input }) => recordManualPayment(ctx.deps, input)),
  importReturns: tenantProcedure.access('payments.write').input(ZImportReturnsInput).mutation(({ ctx, input }) => importBankReturnsBase64(ctx.deps, input)),
  returnFiles: tenantProcedure.access('payments.read').input(ZListReturnFilesInput).query(({ ctx, input }) => listReturnFiles(ctx.deps, input)),
  returnFile: tenantProcedure.access('payments.read').input(ZReturnFileIdInput).query(({ ctx, input }) => getReturnFile(ctx.deps, input)),
  unanswered: tenantProcedure.access('payments.read').query(({ ctx }) => previewUnansweredDebits(ctx.deps)),
  settleUnanswered: tenantProcedure.access('payments.write').mutation(({ ctx }) => settleUnansweredDebits(ctx.deps)),
} satisfies TRPCRouterRecord;
