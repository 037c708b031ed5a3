import {
  activateContract,
  cancelContract,
  createContract,
  getContract,
  listContracts,
  resendSigningLink,
  resumeContract,
  sendContract,
  signContract,
  suspendContract,
  terminateContract,
  updateContract,
  withdrawContract,
  ZCancelContractInput,
  ZContractIdInput,
  ZContractStateInput,
  ZCreateContractInput,
  ZListContractsInput,
  ZSignContractInput,
  ZTerminateContractInput,
  ZUpdateContractInput,
  ZWithdrawContractInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { documentDeps } from '../document-deps.ts';
import { tenantProcedure } from '../procedures.ts';

export const contractsRouter = {
  list: tenantProcedure.access('contracts.read').input(ZListContractsInput).query(({ ctx, input }) => listContracts(ctx.deps, input)),
  get: tenantProcedure.access('contracts.read').input(ZContractIdInput).query(({ ctx, input }) => getContract(ctx.deps, input)),
  create: tenantProcedure.access('contracts.write').input(ZCreateContractInput).mutation(({ ctx, input }) => createContract(ctx.deps, input)),
  update: tenantProcedure.access('contracts.write').input(ZUpdateContractInput).mutation(({ ctx, input }) => updateContract(ctx.deps, input)),
  // Mails the client a one-time link to sign at a distance (when the client has an address).
  send: tenantProcedure.access('contracts.write').input(ZContractIdInput).mutation(({ ctx, input }) => sendContract(ctx.deps, input, ctx.auth.auth)),
  resendSigningLink: tenantProcedure.access('contracts.write').input(ZContractIdInput).mutation(({ ctx, input }) => resendSigningLink(ctx.deps, input, ctx.auth.auth)),
  // Time, IP and user agent come from the request, never from the input; the signed PDF goes to the document storage.
  sign: tenantProcedure.access('contracts.sign').input(ZSignContractInput).mutation(({ ctx, input }) => signContract(documentDeps(ctx), input, ctx.request.client)),
  activate: tenantProcedure.access('contracts.write').input(ZContractIdInput).mutation(({ ctx, input }) => activateContract(ctx.deps, input)),
  suspend: tenantProcedure.access('contracts.write').input(ZContractStateInput).mutation(({ ctx, input }) => suspendContract(ctx.deps, input)),
  resume: tenantProcedure.access('contracts.write').input(ZContractStateInput).mutation(({ ctx, input }) => resumeContract(ctx.deps, input)),
  terminate: tenantProcedure.access('contracts.write').input(ZTerminateContractInput).mutation(({ ctx, input }) => terminateContract(ctx.deps, input)),
  cancel: tenantProcedure.access('contracts.write').input(ZCancelContractInput).mutation(({ ctx, input }) => cancelContract(ctx.deps, input)),
  withdraw: tenantProcedure.access('contracts.write').input(ZWithdrawContractInput).mutation(({ ctx, input }) => withdrawContract(ctx.deps, input)),
} satisfies TRPCRouterRecord;
