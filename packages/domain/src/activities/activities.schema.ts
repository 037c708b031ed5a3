import { z } from 'zod';
import { safeMultilineText, text, ZCursor, ZDay, ZInstant } from '../shared/input-rules.ts';

export const ACTIVITY_KINDS = ['call', 'email', 'meeting', 'note', 'task'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

const ZKind = z.enum(ACTIVITY_KINDS, "Nature d'activité inconnue");
const ZSubject = text(200).min(1, 'Objet requis');
const ZBody = safeMultilineText().trim().max(10_000, '10 000 caractères au plus');
/** The tenant's own label from its "activity_type" list (checked against the list). */
const ZType = text(60).min(1, 'Type requis');
const ZDueDate = ZDay();
const ZOccurredAt = ZInstant();
const ZClientId = z.uuid('Client invalide');
const ZOwnerUserId = z.uuid('Responsable invalide');

export const ZCreateActivityInput = z.strictObject({
  kind: ZKind,
  type: ZType.nullish(),
  subject: ZSubject,
  body: ZBody.default(''),
  clientId: ZClientId.nullish(),
  /** Whose it is; the actor by default. Must be a member of the organisation. */
  ownerUserId: ZOwnerUserId.optional(),
  dueDate: ZDueDate.nullish(),
  /** When it happened (a call made, a meeting held); now by default. */
  occurredAt: ZOccurredAt.optional(),
  /**
   * Already done? By default a note is, a task is not, and a call, email or meeting is done
   * unless it has a due date (then it is planned: a to-do in "Mes tâches").
   */
  done: z.boolean().optional(),
});
export type TCreateActivityInput = z.infer<typeof ZCreateActivityInput>;

export const ZUpdateActivityInput = z.strictObject({
  activityId: z.uuid('Activité invalide'),
  type: ZType.nullish(),
  subject: ZSubject.optional(),
  body: ZBody.optional(),
  clientId: ZClientId.nullish(),
  ownerUserId: ZOwnerUserId.optional(),
  dueDate: ZDueDate.nullish(),
  occurredAt: ZOccurredAt.optional(),
});
export type TUpdateActivityInput = z.infer<typeof ZUpdateActivityInput>;

export const ZActivityIdInput = z.strictObject({ activityId: z.uuid('Activité invalide') });
export type TActivityIdInput = z.infer<typeof ZActivityIdInput>;

const ZOptionalCursor = ZCursor.optional();
const ZDirection = z.enum(['forward', 'backward']).optional(); // sent by TanStack infinite queries

export const ZListClientActivitiesInput = z.strictObject({
  clientId: ZClientId,
  cursor: ZOptionalCursor,
  limit: z.number().int().min(1).max(100).default(50),
  direction: ZDirection,
});
export type TListClientActivitiesInput = z.infer<typeof ZListClientActivitiesInput>;

export const ZListMyTasksInput = z.strictObject({
  /** The open to-dos shown at most (overdue first); the page says when there are more. */
  limit: z.number().int().min(1).max(200).default(100),
  /** Also the ones completed in the last 7 days, newest first. */
  includeRecentlyDone: z.boolean().default(false),
});
export type TListMyTasksInput = z.infer<typeof ZListMyTasksInput>;
