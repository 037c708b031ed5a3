import { withUser } from '@crm/db';
import { PERMISSIONS, can, type Permission } from '../access/permissions.ts';
import type { AuthDeps } from '../shared/context.ts';
import { unauthorized } from '../shared/errors.ts';
import type { AccessClaims } from './tokens.ts';

/** The signed-in user, their organisations, and what they may do in the active one. */
export async function getMe(deps: Pick<AuthDeps, 'db'>, claims: AccessClaims) {
  const user = await withUser(deps.db, claims.userId, (tx) =>
    tx.user.findUnique({
      where: { id: claims.userId },
      select: {
        id: true,
        email: true,
        name: true,
        memberships: {
          orderBy: { createdAt: 'asc' },
          select: { id: true, role: true, organisation: { select: { id: true, name: true } } },
        },
      },
    }),
  );
  if (!user) throw unauthorized('Session expirée');
  const active = user.memberships.find((m) => m.organisation.id === claims.tenantId) ?? null;
  return {
    user: { id: user.id, email: user.email, name: user.name },
    organisation: active ? { id: active.organisation.id, name: active.organisation.name } : null,
    role: active?.role ?? null,
    permissions: active
      ? (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => can(active.role, permission))
      : [],
    organisations: user.memberships.map((m) => ({ id: m.organisation.id, name: m.organisation.name, role: m.role })),
  };
}
