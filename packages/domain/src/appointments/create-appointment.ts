import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import {
  appointmentInclude,
  assertMayHandle,
  assertMembers,
  assertTenantClient,
  normaliseAttendees,
  toAppointmentViews,
  toInstants,
} from './appointment-view.ts';
import { viewScope } from '../shared/view-scope.ts';
import type { TCreateAppointmentInput } from './appointments.schema.ts';
import { findOverlaps } from './find-overlaps.ts';

/**
 * Books an appointment. If its owner or an attendee is already busy then, nothing is saved and
 * the overlapping appointments come back, unless the user confirms with `ignoreOverlaps` (the
 * same pattern as the clients' duplicate warning).
 */
export async function createAppointment({ tx, actor }: TenantDeps, input: TCreateAppointmentInput) {
  const { startsAt, endsAt } = toInstants(input.startsAt, input.endsAt);
  if (input.clientId) await assertTenantClient(tx, actor.tenantId, input.clientId);
  const ownerUserId = input.ownerUserId ?? actor.userId;
  const attendeeUserIds = normaliseAttendees(ownerUserId, input.attendeeUserIds);
  await assertMembers(tx, actor.tenantId, { ownerUserId, attendeeUserIds });
  const people = [ownerUserId, ...attendeeUserIds];
  const scope = await viewScope(tx);
  // The client, when given, was just read through the actor's transaction: it is visible.
  assertMayHandle(actor, scope, { ownerUserId, attendeeUserIds, clientId: input.clientId, client: input.clientId });

  const overlaps = await findOverlaps(tx, actor, { startsAt, endsAt, people });
  if (overlaps.length > 0 && !input.ignoreOverlaps) return { appointment: null, overlaps };

  const created = await tx.appointment.create({
    data: {
      tenantId: actor.tenantId,
      title: input.title,
      startsAt,
      endsAt,
      location: input.location,
      notes: input.notes,
      clientId: input.clientId,
      ownerUserId,
      attendeeUserIds,
      reminderMinutes: input.reminderMinutes,
    },
    include: appointmentInclude,
  });
  await auditAs(tx, actor, {
    action: 'appointment.created',
    entityType: 'appointment',
    entityId: created.id,
    data: { overlapsIgnored: overlaps.map((o) => o.id) },
  });
  const [appointment] = await toAppointmentViews(tx, actor, [created]);
  return { appointment: appointment!, overlaps };
}
