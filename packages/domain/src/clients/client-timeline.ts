import { isUuid, Prisma } from '@crm/db';
import { z } from 'zod';
import { bucketOf, loadVisibleClient } from '../activities/activity-view.ts';
import { memberNames } from '../shared/member-names.ts';
import { parisDay } from '../shared/paris-day.ts';
import type { EventType } from '../events/catalogue.ts';
import { reasonLabel } from '../sepa/sepa-reason-codes.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest } from '../shared/errors.ts';
import { ZCursor } from '../shared/input-rules.ts';
import { cursorPart, defineCursor } from '../shared/keyset-cursor.ts';

export const ZClientTimelineInput = z.strictObject({
  clientId: z.uuid('Client invalide'),
  cursor: ZCursor.optional(),
  limit: z.number().int().min(1).max(100).default(30),
  /** Sent by TanStack Query's infinite queries; pages only go forward here. */
  direction: z.enum(['forward', 'backward']).optional(),
});
export type TClientTimelineInput = z.infer<typeof ZClientTimelineInput>;

/**
 * One line of a client's chronology, whatever it comes from. Later domains (contracts,
 * invoices, payments, emails, letters) add a source and a kind; the shape stays the same.
 */
export interface TimelineEntry {
  /** `<source>:<row id>`: unique across sources, and the tie-breaker of the order. */
  id: string;
  /** The instant it is ordered by (ISO). */
  at: string;
  /** What it is: an activity, or something that happened to the client (its history). */
  kind: 'activity' | 'event';
  /** The source's own type: `call`, `task`, `client.created`, `client.archived`... */
  type: string;
  /** The source's sub-label when it has one (an activity's type from the organisation's list). */
  label: string | null;
  title: string;
  detail: string | null;
  /** Who did it or whose it is (an activity's owner). */
  actorUserId: string | null;
  actorName: string | null;
  /** The row the entry is about (activity id, event id, audit entry id). */
  entityId: string;
  /** Where it stands, for sources with a state: an activity is `overdue`, `today`, `later`, `undated` or `done`. */
  status: string | null;
  dueDate: string | null;
}

type SourceEntry = Omit<TimelineEntry, 'actorName'>;

/** Entries strictly older than `after` (the last entry of the previous page), in this source's terms. */
export interface TimelineBound {
  at: Date;
  /** At the bound's very instant: every row (`all`), none, or rows whose id is below this one. */
  sameInstant: 'all' | 'none' | { idBelow: string };
}

export interface TimelineSource {
  /** The prefix of its entries' ids. */
  name: string;
  /** Up to `limit` of the client's entries before `bound`, newest first (ordered by at, then row id). */
  entries(deps: TenantDeps, clientId: string, bound: TimelineBound | null, limit: number): Promise<SourceEntry[]>;
}

/** Where the page cursor `[at, '<source>:<row id>']` falls for one source. */
function boundFor(source: string, after: [Date, string] | null): TimelineBound | null {
  if (!after) return null;
  const [at, entryId] = after;
  const colon = entryId.indexOf(':');
  const [cursorSource, rowId] = colon < 0 ? ['', entryId] : [entryId.slice(0, colon), entryId.slice(colon + 1)];
  if (!isUuid(rowId)) throw badRequest('Curseur invalide', { cursor: ['Curseur invalide'] });
  if (cursorSource === source) return { at, sameInstant: { idBelow: rowId } };
  // Entry ids compare as strings: at the same instant, a source whose prefix sorts lower comes after.
  return { at, sameInstant: `${source}:` < `${cursorSource}:` ? 'all' : 'none' };
}

/** The Prisma condition "(column, id) before the bound" on a timestamp column. */
function beforeBound<F extends string>(field: F, bound: TimelineBound | null) {
  if (!bound) return {};
  const { at, sameInstant } = bound;
  if (sameInstant === 'all') return { [field]: { lte: at } };
  if (sameInstant === 'none') return { [field]: { lt: at } };
  return { [field]: { lte: at }, OR: [{ [field]: { lt: at } }, { [field]: at, id: { lt: sameInstant.idBelow } }] };
}

const clip = (text: string, max = 500) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const activitiesSource: TimelineSource = {
  name: 'activity',
  async entries({ tx, actor, now }, clientId, bound, limit) {
    const rows = await tx.activity.findMany({
      where: { tenantId: actor.tenantId, clientId, ...beforeBound('occurredAt', bound) },
      select: { id: true, kind: true, type: true, subject: true, body: true, ownerUserId: true, dueDate: true, doneAt: true, occurredAt: true },
      orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    const today = parisDay(now);
    return rows.map((r) => ({
      id: `activity:${r.id}`,
      at: r.occurredAt.toISOString(),
      kind: 'activity',
      type: r.kind,
      label: r.type,
      title: r.subject,
      detail: r.body ? clip(r.body) : null,
      actorUserId: r.ownerUserId,
      entityId: r.id,
      status: bucketOf(r, today),
      dueDate: r.dueDate?.toISOString().slice(0, 10) ?? null,
    }));
  },
};

type Payload = Record<string, unknown>;
const EUR = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const money = (p: Payload) => (typeof p.amountCents === 'number' ? EUR.format(p.amountCents / 100) : '');
const frenchDate = (value: unknown) => (typeof value === 'string' ? value.split('-').reverse().join('/') : '');
const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
const METHODS: Record<string, string> = { sepa_debit: 'prélèvement', transfer: 'virement', card: 'carte', cheque: 'chèque' };

/**
 * The events that name the client (`payload.clientId`), with their French titles: its own, its
 * contracts' and its payments'. A domain whose events carry the client adds a line here.
 */
const CLIENT_EVENTS: Partial<Record<EventType, { title: string | ((p: Payload) => string); detail: (p: Payload) => string | null }>> = {
  'client.created': { title: 'Client créé', detail: (p) => text(p.displayName) },
  'contract.signed': { title: 'Contrat signé', detail: () => null },
  'contract.activated': { title: (p) => (p.resumed ? 'Contrat réactivé' : 'Contrat activé'), detail: () => null },
  'contract.suspended': { title: 'Contrat suspendu', detail: (p) => text(p.reason) },
  'contract.terminated': { title: 'Contrat résilié', detail: (p) => `Fin le ${frenchDate(p.endDate)}${text(p.reason) ? ` : ${String(p.reason)}` : ''}` },
  'contract.cancelled': { title: (p) => (p.withdrawn ? 'Rétractation du contrat' : 'Contrat annulé'), detail: (p) => text(p.reason) },
  'contract.renewed': { title: 'Contrat reconduit', detail: (p) => `Du ${frenchDate(p.termStart)} au ${frenchDate(p.termEnd)}` },
  'contract.renewal_notice': {
    title: (p) => (p.channel === 'email' ? 'Avis de reconduction envoyé par e-mail' : 'Avis de reconduction à envoyer par courrier'),
    detail: (p) => `Opposition possible jusqu'au ${frenchDate(p.refuseBy)}${p.late ? ' (avis tardif : résiliation possible à tout moment)' : ''}`,
  },
  'payment.received': { title: 'Paiement reçu', detail: (p) => `${money(p)} le ${frenchDate(p.receivedOn)} (${METHODS[String(p.method)] ?? String(p.method)})` },
  'payment.rejected': {
    title: (p) => (p.rTransaction === 'return' ? 'Prélèvement retourné' : p.rTransaction === 'refund' ? 'Prélèvement remboursé au débiteur' : 'Prélèvement rejeté'),
    detail: (p) => `${money(p)} le ${frenchDate(p.rejectedOn)}, ${reasonLabel(typeof p.reasonCode === 'string' ? p.reasonCode : null)}`,
  },
  'invoice.created': { title: 'Facture émise', detail: (p) => `${String(p.number)} : ${EUR.format(Number(p.totalCents) / 100)}` },
  'invoice.paid': { title: 'Facture payée', detail: (p) => `${String(p.number)} : ${EUR.format(Number(p.paidCents) / 100)} le ${frenchDate(p.paidOn)}` },
  'credit_note.created': {
    title: 'Avoir émis',
    detail: (p) => `${String(p.number)} sur la facture ${String(p.invoiceNumber)} : ${EUR.format(Number(p.totalCents) / 100)}`,
  },
};

const clientEventsSource: TimelineSource = {
  name: 'event',
  async entries({ tx, actor }, clientId, bound, limit) {
    const types = Object.keys(CLIENT_EVENTS);
    const before = !bound
      ? Prisma.empty
      : bound.sameInstant === 'all'
        ? Prisma.sql`AND occurred_at <= ${bound.at}`
        : bound.sameInstant === 'none'
          ? Prisma.sql`AND occurred_at < ${bound.at}`
          : Prisma.sql`AND (occurred_at, id) < (${bound.at}, ${bound.sameInstant.idBelow}::uuid)`;
    // `client_id` (the payload's clientId, set by the writers) walks the client's few events
    // on (tenant_id, client_id, occurred_at, id), newest first, instead of the tenant's whole outbox.
    const rows = await tx.$queryRaw<{ id: string; type: string; payload: Record<string, unknown>; occurred_at: Date }[]>`
      SELECT id, type, payload, occurred_at FROM outbox_events
      WHERE tenant_id = ${actor.tenantId}::uuid AND client_id = ${clientId}::uuid
        AND type = ANY(${types}::text[]) ${before}
      ORDER BY occurred_at DESC, id DESC
      LIMIT ${limit}`;
    return rows.map((r) => {
      const entry = CLIENT_EVENTS[r.type as EventType]!;
      return {
        id: `event:${r.id}`,
        at: r.occurred_at.toISOString(),
        kind: 'event',
        type: r.type,
        label: null,
        title: typeof entry.title === 'string' ? entry.title : entry.title(r.payload),
        detail: entry.detail(r.payload),
        actorUserId: null,
        entityId: r.id,
        status: null,
        dueDate: null,
      };
    });
  },
};

const AUDIT_TITLES: Record<string, string> = {
  'client.updated': 'Fiche modifiée',
  'client.archived': 'Client archivé',
  'client.restored': 'Client restauré',
};
const FIELD_NAMES: Record<string, string> = {
  civility: 'civilité', firstName: 'prénom', lastName: 'nom', companyName: 'raison sociale', legalForm: 'forme juridique',
  siren: 'SIREN', siret: 'SIRET', email: 'email', phone: 'téléphone', mobile: 'mobile', address: 'adresse',
  birthDate: 'date de naissance', status: 'statut', source: 'source', tags: 'étiquettes', marketingConsent: 'consentement', notes: 'notes',
};

function auditDetail(data: unknown): string | null {
  const fields = (data as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(fields) || fields.length === 0) return null;
  return `Champs : ${fields.map((f) => FIELD_NAMES[String(f)] ?? String(f)).join(', ')}`;
}

/** What was done to the client's record (audit log), except its creation, which the event tells. */
const clientAuditSource: TimelineSource = {
  name: 'audit',
  async entries({ tx, actor }, clientId, bound, limit) {
    const rows = await tx.auditLog.findMany({
      where: { tenantId: actor.tenantId, entityType: 'client', entityId: clientId, action: { not: 'client.created' }, ...beforeBound('createdAt', bound) },
      select: { id: true, action: true, actorUserId: true, data: true, createdAt: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((r) => ({
      id: `audit:${r.id}`,
      at: r.createdAt.toISOString(),
      kind: 'event',
      type: r.action,
      label: null,
      title: AUDIT_TITLES[r.action] ?? r.action,
      detail: auditDetail(r.data),
      actorUserId: r.actorUserId,
      entityId: r.id,
      status: null,
      dueDate: null,
    }));
  },
};

const MAIL_STATUS: Record<string, string> = { queued: 'en attente', sending: 'en attente', sent: 'envoyé', failed: 'échec', uncertain: 'incertain' };

/** The organisation's mail to the client (outgoing effects that name it), with where each stands. */
const clientMailSource: TimelineSource = {
  name: 'mail',
  async entries({ tx, actor }, clientId, bound, limit) {
    const rows = await tx.outgoingEffect.findMany({
      where: { tenantId: actor.tenantId, clientId, kind: 'email', ...beforeBound('createdAt', bound) },
      select: { id: true, recipient: true, subject: true, status: true, createdBy: true, createdAt: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((r) => ({
      id: `mail:${r.id}`,
      at: r.createdAt.toISOString(),
      kind: 'event',
      type: 'mail',
      label: null,
      title: `Courriel : ${r.subject}`,
      detail: `À ${r.recipient} (${MAIL_STATUS[r.status] ?? r.status})`,
      actorUserId: r.createdBy && isUuid(r.createdBy) ? r.createdBy : null,
      entityId: r.id,
      status: r.status,
      dueDate: null,
    }));
  },
};

const LETTER_SERVICE: Record<string, string> = { simple: 'Lettre simple', registered: 'Lettre recommandée', registered_with_ack: 'Lettre recommandée avec AR' };
const LETTER_STANDING: Record<string, string> = {
  queued: 'à envoyer', sending: 'envoi en cours', submitted: 'transmise à Maileva', failed: 'échec', uncertain: 'incertaine',
  ACCEPTED: 'acceptée par Maileva', REJECTED: 'refusée par Maileva', PROCESSED: 'remise à La Poste', A01: 'prise en charge par La Poste', D01: 'distribuée', N01: 'avis de réception signé',
};
const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/** The organisation's letters to the client (Maileva): where each stands, its postage and its proofs. */
const clientLettersSource: TimelineSource = {
  name: 'letter',
  async entries({ tx, actor }, clientId, bound, limit) {
    const rows = await tx.letter.findMany({
      where: { tenantId: actor.tenantId, clientId, ...beforeBound('createdAt', bound) },
      select: {
        id: true, service: true, purpose: true, status: true, providerStatus: true, deliveryStatus: true, postageCents: true, createdBy: true, createdAt: true,
        depositProofDocumentId: true, acknowledgementDocumentId: true, archiveDocumentId: true, document: { select: { fileName: true } },
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((r) => {
      const standing = LETTER_STANDING[r.deliveryStatus ?? r.providerStatus ?? r.status] ?? r.deliveryStatus ?? r.providerStatus ?? r.status;
      const proofs = [r.depositProofDocumentId && 'preuve de dépôt', r.acknowledgementDocumentId && 'avis de réception', r.archiveDocumentId && 'copie archivée'].filter(Boolean);
      const detail = [standing, r.postageCents !== null ? euros.format(r.postageCents / 100) : null, proofs.length > 0 ? `preuves : ${proofs.join(', ')}` : null].filter(Boolean).join(' · ');
      return {
        id: `letter:${r.id}`,
        at: r.createdAt.toISOString(),
        kind: 'event' as const,
        type: 'letter',
        label: null,
        title: `${LETTER_SERVICE[r.service] ?? 'Courrier'} : ${r.document.fileName}`,
        detail,
        actorUserId: r.createdBy && isUuid(r.createdBy) ? r.createdBy : null,
        entityId: r.id,
        status: r.status,
        dueDate: null,
      };
    });
  },
};

/** Every source of the chronology; a new domain adds its own here. */
export const CLIENT_TIMELINE_SOURCES: readonly TimelineSource[] = [activitiesSource, clientEventsSource, clientAuditSource, clientMailSource, clientLettersSource];

const timelineCursor = defineCursor('client-timeline/1', [cursorPart.instant, cursorPart.entryId]);

const newestFirst = (a: SourceEntry, b: SourceEntry) => (a.at === b.at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.at < b.at ? 1 : -1);

/**
 * A client's activities and history in one chronology, newest first, by keyset on (at, entry
 * id). Each source returns at most a page after the cursor from its own index; the merge keeps
 * the newest `limit`. The client is read first (NOT_FOUND when it is another organisation's or
 * hidden from this member), so nothing of a client one may not see is shown.
 */
export async function getClientTimeline(deps: TenantDeps, input: TClientTimelineInput, sources: readonly TimelineSource[] = CLIENT_TIMELINE_SOURCES) {
  const client = await loadVisibleClient(deps, input.clientId);
  const decoded = input.cursor ? timelineCursor.decode(input.cursor) : null;
  const after: [Date, string] | null = decoded ? [new Date(decoded[0]), decoded[1]] : null;
  const merged: SourceEntry[] = [];
  // One after the other: they share one transaction (one connection).
  for (const source of sources) merged.push(...(await source.entries(deps, client.id, boundFor(source.name, after), input.limit + 1)));
  merged.sort(newestFirst);
  const page = merged.slice(0, input.limit);
  const names = await memberNames(deps.tx, deps.actor.tenantId, page.flatMap((e) => (e.actorUserId ? [e.actorUserId] : [])));
  const last = page.at(-1);
  return {
    items: page.map((e): TimelineEntry => ({ ...e, actorName: e.actorUserId ? (names.get(e.actorUserId) ?? null) : null })),
    nextCursor: merged.length > input.limit && last ? timelineCursor.encode([last.at, last.id]) : null,
  };
}
