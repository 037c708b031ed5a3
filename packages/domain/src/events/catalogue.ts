import { z } from 'zod';
import { REASON_CATEGORIES } from '../sepa/sepa-reason-codes.ts';

/**
 * Every event the CRM emits, with its payload schema. The five first come from the
 * predecessor system (same names, same subjects `crm.events.<type>`); the others announce
 * changes to organisations and their members. Payloads carry ids and the figures a
 * consumer needs, never secrets.
 */
const id = z.uuid();
const isoDate = z.iso.date(); // calendar date of business meaning, e.g. a due date
const cents = z.number().int().nonnegative();
const role = z.enum(['owner', 'admin', 'manager', 'sales', 'accountant', 'viewer']);

export const EVENT_CATALOGUE = {
  'client.created': z.object({
    clientId: id,
    kind: z.enum(['person', 'company']),
    displayName: z.string(),
    salesRepId: id.nullable(),
    /** Created by a client import (one of many at once): no welcome mail, no notification per client. */
    imported: z.boolean().optional(),
  }),
  'invoice.created': z.object({
    invoiceId: id,
    clientId: id,
    number: z.string(),
    totalCents: cents,
    dueDate: isoDate,
  }),
  /** An issued invoice fully settled (payments, with credit notes deducted). */
  'invoice.paid': z.object({
    invoiceId: id,
    clientId: id,
    number: z.string(),
    paidCents: cents,
    paidOn: isoDate,
  }),
  /** A credit note issued against an invoice (its own series): the amount incl. VAT it credits. */
  'credit_note.created': z.object({
    creditNoteId: id,
    invoiceId: id,
    clientId: id,
    number: z.string(),
    invoiceNumber: z.string(),
    totalCents: cents,
    issueDate: isoDate,
  }),
  'payment.received': z.object({
    paymentId: id,
    clientId: id,
    contractId: id.nullable(),
    amountCents: cents,
    receivedOn: isoDate,
    method: z.enum(['sepa_debit', 'transfer', 'card', 'cheque']),
  }),
  /**
   * The bank did not pay (reject) or took the money back (return, refund: the amount is owed
   * again). `reasonCode` as the bank sent it, null when it sent none; the category says what
   * comes next (re-present only `insufficient_funds`). Events before 2026-12 carry neither
   * category nor kind.
   */
  'payment.rejected': z.object({
    paymentId: id,
    clientId: id,
    contractId: id.nullable(),
    amountCents: cents,
    reasonCode: z.string().min(1).max(35).nullable(),
    reasonCategory: z.enum(REASON_CATEGORIES).optional(),
    rTransaction: z.enum(['reject', 'return', 'refund']).optional(),
    rejectedOn: isoDate,
    /** Which presentation of the debt this was: 1 for the first, 2 for the first re-presentation... */
    attempt: z.number().int().min(1).optional(),
  }),
  /**
   * A rejected debit is presented again (retry): a new schedule item `paymentId`, attempt + 1, on
   * the same mandate, collected on `collectionDate`.
   */
  'payment.represented': z.object({
    paymentId: id,
    originalPaymentId: id,
    clientId: id,
    contractId: id.nullable(),
    amountCents: cents,
    attempt: z.number().int().min(2),
    collectionDate: isoDate,
  }),
  /**
   * A rejected debit will not go back to the bank: its reason is not one to re-present, the
   * attempts are used up, or a person stopped them. Dunning takes it from here; commissions may
   * claw back.
   */
  'payment.unrecovered': z.object({
    paymentId: id,
    clientId: id,
    contractId: id.nullable(),
    amountCents: cents,
    reasonCode: z.string().min(1).max(35).nullable(),
    reasonCategory: z.enum(REASON_CATEGORIES).optional(),
    attempts: z.number().int().min(1),
    why: z.enum(['not_retryable', 'attempts_exhausted', 'stopped']),
    rejectedOn: isoDate,
  }),
  'contract.signed': z.object({
    contractId: id,
    clientId: id,
    salesRepId: id.nullable(),
    signedAt: z.iso.datetime({ offset: true }),
    /** How the client signed: in front of the rep, on the rep's tablet in hand-over mode, or through a mailed link. */
    channel: z.enum(['in_app', 'hand_over', 'remote']).optional(),
  }),
  /** Service started, or started again after a suspension (`resumed`). */
  'contract.activated': z.object({ contractId: id, clientId: id, resumed: z.boolean().optional() }),
  'contract.suspended': z.object({ contractId: id, clientId: id, reason: z.string().optional() }),
  /** Ends on `endDate`: schedule items after it are to be cancelled. */
  'contract.terminated': z.object({ contractId: id, clientId: id, endDate: isoDate, reason: z.string().optional() }),
  /** Cancelled before service, or withdrawn by a consumer within 14 days of signing (`withdrawn`). */
  'contract.cancelled': z.object({ contractId: id, clientId: id, reason: z.string(), withdrawn: z.boolean() }),
  /** A tacitly renewed contract's next term: its schedule was added (`itemsAdded` items). */
  'contract.renewed': z.object({ contractId: id, clientId: id, term: z.number().int().min(2), termStart: isoDate, termEnd: isoDate, itemsAdded: z.number().int().nonnegative() }),
  /** A consumer was told of the coming renewal (L215-1 C. consom.): by e-mail, or a letter task for a person. */
  'contract.renewal_notice': z.object({
    contractId: id,
    clientId: id,
    term: z.number().int().min(2),
    refuseBy: isoDate,
    channel: z.enum(['email', 'letter_task']),
    late: z.boolean(),
  }),
  'organisation.created': z.object({ organisationId: id, name: z.string() }),
  'organisation.updated': z.object({ organisationId: id, changedFields: z.array(z.string()) }),
  'member.invited': z.object({ invitationId: id, email: z.email(), role }),
  'member.invitation_revoked': z.object({ invitationId: id }),
  'member.joined': z.object({ memberId: id, userId: id, role }),
  'member.role_changed': z.object({ memberId: id, userId: id, from: role, to: role }),
  'member.removed': z.object({ memberId: id, userId: id }),
  /** A to-do given to another member than the one who wrote it (created so, or handed over). */
  'activity.assigned': z.object({
    activityId: id,
    kind: z.enum(['call', 'email', 'meeting', 'note', 'task']),
    subject: z.string(),
    clientId: id.nullable(),
    ownerUserId: id,
    assignedByUserId: id,
    dueDate: isoDate.nullable(),
  }),
} as const;

export type EventType = keyof typeof EVENT_CATALOGUE;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_CATALOGUE)[T]>;

/** NATS subject of an event type (the event-backbone issue publishes on it). */
export const eventSubject = (type: EventType): string => `crm.events.${type}`;

export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  tenantId: string;
  occurredAt: string;
  payload: EventPayload<T>;
  /** The W3C traceparent of the span that published it (the relay's, child of the writer's), when tracing is on. */
  traceParent?: string | undefined;
}

/** `version-traceid-parentid-flags`, lower-case hex (W3C Trace Context). */
const TRACE_PARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Validates an envelope read back from the outbox or the wire. */
export const ZEventEnvelope = z
  .object({
    id: z.uuid(),
    type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
    tenantId: z.uuid(),
    occurredAt: z.iso.datetime({ offset: true }),
    payload: z.unknown(),
    traceParent: z.string().regex(TRACE_PARENT).optional(),
  })
  .superRefine((envelope, ctx) => {
    const result = EVENT_CATALOGUE[envelope.type].safeParse(envelope.payload);
    if (!result.success) ctx.addIssue({ code: 'custom', path: ['payload'], message: result.error.message });
  });
