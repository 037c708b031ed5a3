export { createDb, createDbFromAdapter, poolUsage, type Db, type DbOptions, type PoolUsage } from './client.ts';
export { withTenant, withMember, withUser, withSystem, afterCommit, afterRollback, type Tx, type TenantMember } from './tenant.ts';
export { classifyDbError, isDatabaseUnavailable, type ClassifiedDbError } from './errors.ts';
export { errorForLog, errorSummary, safeLogger, type LoggedError } from './log-safety.ts';
export { newId, isUuid } from './ids.ts';
export { checkAppRole, APP_ROLE } from './roles.ts';
export { listen, type Listener, type ListenLogger } from './listen.ts';
export { Prisma, Role } from './generated/prisma/client.ts';
export type { User, Organisation, Membership, Invitation, AuditLog, OutboxEvent, RefreshTokenFamily, Notification, DeadLetter, Client, ClientContact } from './generated/prisma/client.ts';
