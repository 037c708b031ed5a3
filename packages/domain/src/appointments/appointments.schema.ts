import { z } from 'zod';
import { isSaneDay, multilineText, safeText, text, ZDay, whenAnObject } from '../shared/input-rules.ts';

/** Reminder choices offered in the form and accepted by the API, in minutes before the start. */
export const REMINDER_MINUTES = [0, 5, 10, 15, 30, 60, 120, 1440] as const;
/** The longest appointment (a trade fair, a seminar). */
export const MAX_APPOINTMENT_DAYS = 14;
/** The longest range a list reads: a month view shows six weeks. */
export const MAX_LIST_RANGE_DAYS = 42;

/**
 * A Paris wall-clock time to the minute, as the web's date and time inputs give it:
 * "2026-12-03T14:30". The API never takes an offset: what the user typed is Paris time.
 */
export const ZParisLocal = safeText()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, 'Date et heure invalides (AAAA-MM-JJTHH:MM)')
  .refine((v) => isSaneDay(v.slice(0, 10)), 'Date invalide')
  .refine((v) => v >= '2000-01-01' && v < '2100-01-01', 'Date hors limites');

const ZListDay = ZDay();
const ZUserId = z.uuid('Membre invalide');

const ZAppointmentFields = z.object({
  title: text(200).min(1, 'Titre requis'),
  startsAt: ZParisLocal,
  endsAt: ZParisLocal,
  location: text(300),
  notes: multilineText(5_000),
  clientId: z.uuid('Client invalide').nullable(),
  /** Whose appointment it is; the person booking by default. */
  ownerUserId: ZUserId,
  attendeeUserIds: z.array(ZUserId).max(20, '20 participants au plus'),
  reminderMinutes: z.literal(REMINDER_MINUTES, 'Rappel invalide').nullable(),
  /** Save even if the people are already busy then (the user has seen the overlaps). */
  ignoreOverlaps: z.boolean(),
});

const endAfterStart = (a: { startsAt?: string | undefined; endsAt?: string | undefined }) =>
  !a.startsAt || !a.endsAt || a.endsAt > a.startsAt;
const END_AFTER_START = { path: ['endsAt'], message: 'La fin doit être après le début', when: whenAnObject };

export const ZCreateAppointmentInput = ZAppointmentFields.extend({
  location: ZAppointmentFields.shape.location.default(''),
  notes: ZAppointmentFields.shape.notes.default(''),
  clientId: ZAppointmentFields.shape.clientId.default(null),
  ownerUserId: ZUserId.optional(),
  attendeeUserIds: ZAppointmentFields.shape.attendeeUserIds.default([]),
  reminderMinutes: ZAppointmentFields.shape.reminderMinutes.default(null),
  ignoreOverlaps: z.boolean().default(false),
})
  .strict()
  .refine(endAfterStart, END_AFTER_START);
export type TCreateAppointmentInput = z.infer<typeof ZCreateAppointmentInput>;

/** Changes what is given; the start and end are checked again once merged with the stored ones. */
export const ZUpdateAppointmentInput = ZAppointmentFields.partial()
  .extend({ appointmentId: z.uuid('Rendez-vous invalide'), ignoreOverlaps: z.boolean().default(false) })
  .strict()
  .refine(endAfterStart, END_AFTER_START);
export type TUpdateAppointmentInput = z.infer<typeof ZUpdateAppointmentInput>;

export const ZAppointmentIdInput = z.strictObject({ appointmentId: z.uuid('Rendez-vous invalide') });
export type TAppointmentIdInput = z.infer<typeof ZAppointmentIdInput>;

/**
 * Appointments that meet the Paris days [from, to) of some people: the actor ('mine'), the whole
 * organisation ('all') or the given members (as owner or attendee).
 */
export const ZListAppointmentsInput = z
  .strictObject({
    from: ZListDay,
    to: ZListDay,
    people: z.union([z.enum(['mine', 'all']), z.array(ZUserId).min(1).max(50, '50 membres au plus')]).default('mine'),
    includeCancelled: z.boolean().default(false),
  })
  .refine((i) => i.to > i.from, { path: ['to'], message: 'La fin doit être après le début' })
  .refine((i) => Date.parse(i.to) - Date.parse(i.from) <= MAX_LIST_RANGE_DAYS * 86_400_000, {
    path: ['to'],
    message: `${MAX_LIST_RANGE_DAYS} jours au plus`,
  });
export type TListAppointmentsInput = z.infer<typeof ZListAppointmentsInput>;
