export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from './root.ts';
export { createContext, type CrmContext, type CrmServices, type ProcedureObservation, type ProcedureOutcome, type ProcedureTraceCall, type RequestInfo, type SessionCookies } from './context.ts';
export type { Access, ProcedureMeta } from './init.ts';
export { procedureAccessList } from './access-list.ts';
export { assertBatchAllowed, MAX_BATCH_SIZE } from './batch-rules.ts';
export { actorFrom, resolveActor, resolveActorOnce } from './actor.ts';
export { documentDeps } from './document-deps.ts';
