import type { Prisma, Tx } from '@crm/db';
import { loadClient } from '../shared/load-client.ts';
import { memberNames } from '../shared/member-names.ts';
import type { Actor } from '../shared/context.ts';
import { badRequest, forbidden, notFound } from '../shared/errors.ts';
import { seesMember, viewScope, type ViewScope } from '../shared/view-scope.ts';
import { MAX_APPOINTMENT_DAYS } from './appointments.schema.ts';
import { parisLocalToInstant, toParisLocal } from './paris-time.ts';

export const appointmentInclude = { client: { select: { id: true, displayName: true } } } as const satisfies Prisma.AppointmentInclude;
export type AppointmentRow = Prisma.AppointmentGetPayload<{ include: typeof appointmentInclude }>;


export const peopleOf = (a: { ownerUserId: string; attendeeUserIds: string[] }): string[] => [a.ownerUserId, ...a.attendeeUserIds];

/** What a member sees of an appointment whose details are not theirs to see. */
export const BUSY_TITLE = 'Occupé';

/** The people and the client an appointment is about: what decides who sees its details. */
export interface AppointmentParties {
  ownerUserId: string;
  attendeeUserIds: string[];
  clientId: string | null;
  /** The client as the actor's transaction read it: null when there is none or it is hidden. */
  client: unknown;
}

/**
 * Whether the actor sees an appointment's title, place, notes and client, or only that its
 * people are busy then. A member who sees every client sees everything (the calendar is the
 * organisation's); a member with a sales or team scope sees the details of the appointments
 * they or someone of their team take part in, and of those about a client in their scope.
 */
export function showsDetails(scope: ViewScope, actorUserId: string, a: AppointmentParties): boolean {
  if (scope.allClients) return true;
  if (peopleOf(a).some((userId) => userId === actorUserId || seesMember(scope, userId))) return true;
  return a.clientId !== null && a.client !== null;
}

export function toAppointmentView(a: AppointmentRow, names: Map<string, string>, detailsShown = true) {
  const person = (userId: string) => ({ userId, name: names.get(userId) ?? null });
  const view = {
    id: a.id,
    title: a.title,
    /** Instants (UTC ISO) and the same in Paris wall-clock time ("2026-12-03T14:30"). */
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    start: toParisLocal(a.startsAt),
    end: toParisLocal(a.endsAt),
    location: a.location,
    notes: a.notes,
    client: a.client ? { id: a.client.id, displayName: a.client.displayName } : null,
    owner: person(a.ownerUserId),
    attendees: a.attendeeUserIds.map(person),
    reminderMinutes: a.reminderMinutes,
    cancelledAt: a.cancelledAt?.toISOString() ?? null,
    sequence: a.sequence,
    updatedAt: a.updatedAt.toISOString(),
    /** Only the time and the people are shown (see `showsDetails`). */
    detailsHidden: false,
  };
  return detailsShown ? view : { ...view, title: BUSY_TITLE, location: '', notes: '', client: null, reminderMinutes: null, detailsHidden: true };
}
export type AppointmentView = ReturnType<typeof toAppointmentView>;

/** The views of `rows` for the actor, each with its details or as busy time. */
export async function toAppointmentViews(tx: Tx, actor: Pick<Actor, 'tenantId' | 'userId'>, rows: AppointmentRow[]): Promise<AppointmentView[]> {
  const [names, scope] = await Promise.all([memberNames(tx, actor.tenantId, rows.flatMap(peopleOf)), viewScope(tx)]);
  return rows.map((row) => toAppointmentView(row, names, showsDetails(scope, actor.userId, row)));
}

export async function loadAppointment(tx: Tx, tenantId: string, appointmentId: string): Promise<AppointmentRow> {
  const appointment = await tx.appointment.findFirst({ where: { id: appointmentId, tenantId }, include: appointmentInclude });
  if (!appointment) throw notFound('Rendez-vous');
  return appointment;
}

const NO_SUCH_TIME = "Cette heure n'existe pas à Paris ce jour-là (passage à l'heure d'été)";

/** Start and end as instants; a skipped hour, an end not after the start or a too long span are field errors. */
export function toInstants(start: string | Date, end: string | Date): { startsAt: Date; endsAt: Date } {
  const startsAt = typeof start === 'string' ? parisLocalToInstant(start) : start;
  const endsAt = typeof end === 'string' ? parisLocalToInstant(end) : end;
  const errors: Record<string, string[]> = {};
  if (!startsAt) errors.startsAt = [NO_SUCH_TIME];
  if (!endsAt) errors.endsAt = [NO_SUCH_TIME];
  else if (startsAt && endsAt <= startsAt) errors.endsAt = ['La fin doit être après le début'];
  else if (startsAt && endsAt.getTime() - startsAt.getTime() > MAX_APPOINTMENT_DAYS * 86_400_000) {
    errors.endsAt = [`${MAX_APPOINTMENT_DAYS} jours au plus`];
  }
  if (!startsAt || !endsAt || Object.keys(errors).length > 0) throw badRequest('Horaires invalides', errors);
  return { startsAt, endsAt };
}

/** The client must be one of the tenant's: another tenant's id and a made-up one both answer NOT_FOUND. */
export async function assertTenantClient(tx: Tx, tenantId: string, clientId: string): Promise<void> {
  await loadClient({ tx, actor: { tenantId } }, clientId, { id: true });
}

/** Owner and attendees must be members of the tenant (checked for the ids in `check` only). */
export async function assertMembers(tx: Tx, tenantId: string, check: { ownerUserId?: string; attendeeUserIds?: string[] }): Promise<void> {
  const ids = [...(check.ownerUserId ? [check.ownerUserId] : []), ...(check.attendeeUserIds ?? [])];
  const known = await memberNames(tx, tenantId, ids);
  const errors: Record<string, string[]> = {};
  if (check.ownerUserId && !known.has(check.ownerUserId)) errors.ownerUserId = ["Ce membre n'appartient pas à l'organisation"];
  if ((check.attendeeUserIds ?? []).some((id) => !known.has(id))) {
    errors.attendeeUserIds = ["Un des participants n'appartient pas à l'organisation"];
  }
  if (Object.keys(errors).length > 0) throw badRequest('Participants inconnus', errors);
}

/** Attendees without repeats and without the owner, who attends anyway. */
export const normaliseAttendees = (ownerUserId: string, attendeeUserIds: string[]): string[] =>
  [...new Set(attendeeUserIds)].filter((id) => id !== ownerUserId);

/**
 * A sales rep books and changes only appointments they take part in; others handle the
 * appointments whose details they see (a manager with a team: their team's and their clients';
 * the rest of the organisation: everyone's). Checked on the appointment as it is and as it
 * would be.
 */
export function assertMayHandle(actor: Actor, scope: ViewScope, appointment: AppointmentParties): void {
  if (actor.role === 'sales') {
    if (!peopleOf(appointment).includes(actor.userId)) throw forbidden('Vous ne pouvez gérer que les rendez-vous auxquels vous participez');
  } else if (!showsDetails(scope, actor.userId, appointment)) {
    throw forbidden('Vous ne pouvez gérer que les rendez-vous de votre équipe ou de vos clients');
  }
}
