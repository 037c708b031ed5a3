import type { Tx } from '@crm/db';
import type { Actor } from '../shared/context.ts';
import { viewScope } from '../shared/view-scope.ts';
import { MAX_APPOINTMENT_DAYS } from './appointments.schema.ts';
import { memberNames } from '../shared/member-names.ts';
import { appointmentInclude, peopleOf, showsDetails, toAppointmentView } from './appointment-view.ts';

/**
 * Appointments not cancelled where one of `people` (as owner or attendee) is already busy
 * during [startsAt, endsAt). Intervals that only touch (one ends when the other starts) do not
 * overlap. Each comes with the people it keeps busy.
 */
export async function findOverlaps(
  tx: Tx,
  actor: Pick<Actor, 'tenantId' | 'userId'>,
  slot: { startsAt: Date; endsAt: Date; people: string[]; excludeId?: string },
) {
  const { tenantId } = actor;
  const rows = await tx.appointment.findMany({
    where: {
      tenantId,
      cancelledAt: null,
      // No appointment lasts longer than MAX_APPOINTMENT_DAYS: a lower bound keeps the index range short.
      startsAt: { gte: new Date(slot.startsAt.getTime() - MAX_APPOINTMENT_DAYS * 86_400_000), lt: slot.endsAt },
      endsAt: { gt: slot.startsAt },
      ...(slot.excludeId ? { id: { not: slot.excludeId } } : {}),
      OR: [{ ownerUserId: { in: slot.people } }, { attendeeUserIds: { hasSome: slot.people } }],
    },
    include: appointmentInclude,
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    take: 20,
  });
  const [names, scope] = await Promise.all([memberNames(tx, tenantId, [...slot.people, ...rows.flatMap(peopleOf)]), viewScope(tx)]);
  // Someone else's appointment shows as busy time unless the actor may see its details.
  return rows.map((row) => ({
    ...toAppointmentView(row, names, showsDetails(scope, actor.userId, row)),
    busy: peopleOf(row)
      .filter((userId) => slot.people.includes(userId))
      .map((userId) => ({ userId, name: names.get(userId) ?? null })),
  }));
}
export type AppointmentOverlap = Awaited<ReturnType<typeof findOverlaps>>[number];
