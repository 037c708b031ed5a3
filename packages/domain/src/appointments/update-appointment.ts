import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict } from '../shared/errors.ts';
import {
  appointmentInclude,
  assertMayHandle,
  assertMembers,
  assertTenantClient,
  loadAppointment,
  normaliseAttendees,
  peopleOf,
  toAppointmentViews,
  toInstants,
} from './appointment-view.ts';
import { viewScope } from '../shared/view-scope.ts';
import type { TUpdateAppointmentInput } from './appointments.schema.ts';
import { findOverlaps } from './find-overlaps.ts';

/**
 * Changes what is given and bumps the iCalendar SEQUENCE, so subscribed calendars take the new
 * version. A new time or new people are checked for overlaps as on creation.
 */
export async function updateAppointment({ tx, actor }: TenantDeps, input: TUpdateAppointmentInput) {
  const { appointmentId, ignoreOverlaps, ...fields } = input;
  const current = await loadAppointment(tx, actor.tenantId, appointmentId);
  const scope = await viewScope(tx);
  assertMayHandle(actor, scope, current);
  if (current.cancelledAt) throw conflict('Rendez-vous annulé : il ne peut plus être modifié');

  const { startsAt, endsAt } = toInstants(fields.startsAt ?? current.startsAt, fields.endsAt ?? current.endsAt);
  if (fields.clientId) await assertTenantClient(tx, actor.tenantId, fields.clientId);
  const ownerUserId = fields.ownerUserId ?? current.ownerUserId;
  const attendeeUserIds = normaliseAttendees(ownerUserId, fields.attendeeUserIds ?? current.attendeeUserIds);
  // People already on the appointment may have left the organisation since; only newcomers are checked.
  const before = new Set(peopleOf(current));
  await assertMembers(tx, actor.tenantId, {
    ...(before.has(ownerUserId) ? {} : { ownerUserId }),
    attendeeUserIds: attendeeUserIds.filter((id) => !before.has(id)),
  });
  const people = [ownerUserId, ...attendeeUserIds];
  const clientId = fields.clientId === undefined ? current.clientId : fields.clientId;
  // A new client was just read through the actor's transaction; the current one, as loaded.
  assertMayHandle(actor, scope, { ownerUserId, attendeeUserIds, clientId, client: fields.clientId === undefined ? current.client : fields.clientId });

  const moved = startsAt.getTime() !== current.startsAt.getTime() || endsAt.getTime() !== current.endsAt.getTime();
  const newPeople = people.some((id) => !before.has(id));
  const overlaps = moved || newPeople ? await findOverlaps(tx, actor, { startsAt, endsAt, people, excludeId: current.id }) : [];
  if (overlaps.length > 0 && !ignoreOverlaps) return { appointment: null, overlaps };

  const updated = await tx.appointment.update({
    where: { id: current.id },
    data: {
      ...(fields.title === undefined ? {} : { title: fields.title }),
      ...(fields.location === undefined ? {} : { location: fields.location }),
      ...(fields.notes === undefined ? {} : { notes: fields.notes }),
      ...(fields.clientId === undefined ? {} : { clientId: fields.clientId }),
      ...(fields.reminderMinutes === undefined ? {} : { reminderMinutes: fields.reminderMinutes }),
      startsAt,
      endsAt,
      ownerUserId,
      attendeeUserIds,
      sequence: { increment: 1 },
    },
    include: appointmentInclude,
  });
  await auditAs(tx, actor, {
    action: 'appointment.updated',
    entityType: 'appointment',
    entityId: current.id,
    data: { fields: Object.keys(fields), overlapsIgnored: overlaps.map((o) => o.id) },
  });
  const [appointment] = await toAppointmentViews(tx, actor, [updated]);
  return { appointment: appointment!, overlaps };
}
