import type { TenantDeps } from '../shared/context.ts';
import { appointmentInclude, loadAppointment, toAppointmentViews } from './appointment-view.ts';
import { MAX_APPOINTMENT_DAYS, type TAppointmentIdInput, type TListAppointmentsInput } from './appointments.schema.ts';
import { parisMidnight } from './paris-time.ts';

/** More than a month view can show; beyond it the list says it is truncated. */
export const LIST_LIMIT = 1_000;

/**
 * Appointments that meet the Paris days [from, to) for the day, week and month views, in
 * start order. The range is bounded by the schema (six weeks at most).
 */
export async function listAppointments({ tx, actor }: TenantDeps, input: TListAppointmentsInput) {
  const from = parisMidnight(input.from);
  const to = parisMidnight(input.to);
  const people = input.people === 'mine' ? [actor.userId] : input.people === 'all' ? null : input.people;
  const rows = await tx.appointment.findMany({
    where: {
      tenantId: actor.tenantId,
      startsAt: { gte: new Date(from.getTime() - MAX_APPOINTMENT_DAYS * 86_400_000), lt: to },
      endsAt: { gt: from },
      ...(input.includeCancelled ? {} : { cancelledAt: null }),
      ...(people ? { OR: [{ ownerUserId: { in: people } }, { attendeeUserIds: { hasSome: people } }] } : {}),
    },
    include: appointmentInclude,
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    take: LIST_LIMIT + 1,
  });
  return {
    appointments: await toAppointmentViews(tx, actor, rows.slice(0, LIST_LIMIT)),
    truncated: rows.length > LIST_LIMIT,
  };
}

export async function getAppointment({ tx, actor }: TenantDeps, input: TAppointmentIdInput) {
  const row = await loadAppointment(tx, actor.tenantId, input.appointmentId);
  return (await toAppointmentViews(tx, actor, [row]))[0]!;
}
