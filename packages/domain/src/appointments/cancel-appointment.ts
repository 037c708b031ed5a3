import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { viewScope } from '../shared/view-scope.ts';
import { appointmentInclude, assertMayHandle, loadAppointment, toAppointmentViews } from './appointment-view.ts';
import type { TAppointmentIdInput } from './appointments.schema.ts';

/**
 * Cancels an appointment. It stays, marked cancelled, so subscribed calendars receive
 * STATUS:CANCELLED with a higher SEQUENCE and drop it; overlap checks ignore it from now on.
 */
export async function cancelAppointment({ tx, actor, now }: TenantDeps, input: TAppointmentIdInput) {
  const current = await loadAppointment(tx, actor.tenantId, input.appointmentId);
  assertMayHandle(actor, await viewScope(tx), current);
  if (current.cancelledAt) return (await toAppointmentViews(tx, actor, [current]))[0]!;
  const cancelled = await tx.appointment.update({
    where: { id: current.id },
    data: { cancelledAt: now, sequence: { increment: 1 } },
    include: appointmentInclude,
  });
  await auditAs(tx, actor, { action: 'appointment.cancelled', entityType: 'appointment', entityId: current.id });
  return (await toAppointmentViews(tx, actor, [cancelled]))[0]!;
}
