import { PERMISSIONS, type Permission } from '@crm/domain';
import type { AnyProcedure } from '@trpc/server';
import type { ProcedureMeta } from './init.ts';
import { appRouter } from './root.ts';

/** Every procedure with its type and who may call it; the snapshot test pins this list. */
export function procedureAccessList(): string[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
  return Object.entries(procedures)
    .map(([path, procedure]) => {
      const meta = procedure._def.meta as ProcedureMeta | undefined;
      const access = meta?.access ?? 'MISSING';
      const roles = access in PERMISSIONS ? ` [${PERMISSIONS[access as Permission].join(', ')}]` : '';
      return `${path.padEnd(34)} ${procedure._def.type.padEnd(12)} ${access}${roles}`;
    })
    .sort();
}
