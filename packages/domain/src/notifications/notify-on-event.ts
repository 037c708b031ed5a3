import type { Tx } from '@crm/db';
import type { EventEnvelope } from '../events/catalogue.ts';
import { REASON_CATEGORY_LABELS, sepaReasonOf } from '../sepa/sepa-reason-codes.ts';
import { ROLE_NAMES_FR, type NotificationType } from './notification-types.ts';

interface Draft {
  userIds: string[];
  type: NotificationType;
  title: string;
  body: string;
  link: string | null;
}

/**
 * Turns an event into in-app notifications for the people it concerns, minus those who
 * switched that type off. Runs inside the notifications consumer's transaction.
 */
export async function notifyOnEvent(tx: Tx, event: EventEnvelope): Promise<void> {
  const draft = await draftFor(tx, event);
  if (!draft || draft.userIds.length === 0) return;
  const muted = await tx.notificationPreference.findMany({
    where: { tenantId: event.tenantId, type: draft.type, inApp: false, userId: { in: draft.userIds } },
    select: { userId: true },
  });
  const recipients = draft.userIds.filter((id) => !muted.some((m) => m.userId === id));
  await tx.notification.createMany({
    data: recipients.map((userId) => ({
      tenantId: event.tenantId,
      userId,
      type: draft.type,
      title: draft.title,
      body: draft.body,
      link: draft.link,
      eventId: event.id,
    })),
  });
}

async function draftFor(tx: Tx, event: EventEnvelope): Promise<Draft | null> {
  switch (event.type) {
    case 'member.joined': {
      const { userId, role } = event.payload as EventEnvelope<'member.joined'>['payload'];
      const [joiner, admins] = await Promise.all([
        tx.user.findUnique({ where: { id: userId }, select: { name: true } }),
        tx.membership.findMany({
          where: { tenantId: event.tenantId, role: { in: ['owner', 'admin'] }, userId: { not: userId } },
          select: { userId: true },
        }),
      ]);
      return {
        userIds: admins.map((a) => a.userId),
        type: 'member.joined',
        title: 'Nouveau membre',
        body: `${joiner?.name ?? 'Un nouveau membre'} a rejoint l’organisation (${ROLE_NAMES_FR[role]}).`,
        link: '/parametres/membres',
      };
    }
    case 'member.role_changed': {
      const { userId, to } = event.payload as EventEnvelope<'member.role_changed'>['payload'];
      return {
        userIds: [userId],
        type: 'member.role_changed',
        title: 'Votre rôle a changé',
        body: `Vous êtes désormais ${ROLE_NAMES_FR[to]}.`,
        link: '/',
      };
    }
    case 'activity.assigned': {
      const { ownerUserId, assignedByUserId, subject, dueDate } = event.payload as EventEnvelope<'activity.assigned'>['payload'];
      const by = await tx.user.findUnique({ where: { id: assignedByUserId }, select: { name: true } });
      const due = dueDate ? ` (échéance le ${dueDate.split('-').reverse().join('/')})` : '';
      return {
        userIds: [ownerUserId],
        type: 'activity.assigned',
        title: 'Nouvelle tâche',
        body: `${by?.name ?? 'Un membre'} vous a confié : ${subject}${due}.`,
        link: '/taches',
      };
    }
    case 'client.created': {
      const { clientId, displayName, salesRepId, imported } = event.payload as EventEnvelope<'client.created'>['payload'];
      // An import brings thousands at once: it is one action, not one notification per client.
      if (imported) return null;
      return {
        userIds: await repAndBackOffice(tx, event.tenantId, salesRepId),
        type: 'client.created',
        title: 'Nouveau client',
        body: `${displayName} a été ajouté aux clients.`,
        link: `/clients/${clientId}`,
      };
    }
    case 'contract.signed': {
      const { contractId, clientId, salesRepId, channel } = event.payload as EventEnvelope<'contract.signed'>['payload'];
      const [contract, client] = await Promise.all([
        tx.contract.findFirst({ where: { id: contractId, tenantId: event.tenantId }, select: { number: true } }),
        clientName(tx, event.tenantId, clientId),
      ]);
      return {
        userIds: await repAndBackOffice(tx, event.tenantId, salesRepId),
        type: 'contract.signed',
        title: 'Contrat signé',
        body: `${client} a signé ${channel === 'remote' ? 'à distance, par le lien reçu par e-mail, ' : ''}le contrat ${contract?.number ?? ''}.`.replace(' .', '.'),
        link: `/contrats/${contractId}`,
      };
    }
    case 'payment.received': {
      const { clientId, amountCents, receivedOn } = event.payload as EventEnvelope<'payment.received'>['payload'];
      const [client, repId] = await Promise.all([clientName(tx, event.tenantId, clientId), clientRep(tx, event.tenantId, clientId)]);
      return {
        userIds: await repAndBackOffice(tx, event.tenantId, repId),
        type: 'payment.received',
        title: 'Paiement reçu',
        body: `${euros(amountCents)} reçus de ${client} le ${frenchDate(receivedOn)}.`,
        link: `/clients/${clientId}`,
      };
    }
    case 'payment.rejected': {
      const { clientId, amountCents, rejectedOn, reasonCode, reasonCategory } = event.payload as EventEnvelope<'payment.rejected'>['payload'];
      const [client, repId] = await Promise.all([clientName(tx, event.tenantId, clientId), clientRep(tx, event.tenantId, clientId)]);
      const reason = sepaReasonOf(reasonCode)?.labelFr ?? REASON_CATEGORY_LABELS[reasonCategory ?? 'unknown'];
      return {
        userIds: await repAndBackOffice(tx, event.tenantId, repId),
        type: 'payment.rejected',
        title: 'Prélèvement rejeté',
        body: `Le prélèvement de ${euros(amountCents)} de ${client} a été rejeté le ${frenchDate(rejectedOn)} (${reason}).`,
        link: `/clients/${clientId}`,
      };
    }
    default:
      return null;
  }
}

/** The back office: who runs the organisation and its money (owners, admins, accountants). */
const BACK_OFFICE_ROLES = ['owner', 'admin', 'accountant'] as const;

/** The client's rep (when they have an account) and the back office, each once. */
async function repAndBackOffice(tx: Tx, tenantId: string, salesRepId: string | null): Promise<string[]> {
  const [rep, backOffice] = await Promise.all([
    salesRepId ? tx.salesRep.findFirst({ where: { id: salesRepId, tenantId }, select: { userId: true } }) : null,
    tx.membership.findMany({ where: { tenantId, role: { in: [...BACK_OFFICE_ROLES] } }, select: { userId: true } }),
  ]);
  return [...new Set([...(rep?.userId ? [rep.userId] : []), ...backOffice.map((m) => m.userId)])];
}

const clientName = async (tx: Tx, tenantId: string, clientId: string) =>
  (await tx.client.findFirst({ where: { id: clientId, tenantId }, select: { displayName: true } }))?.displayName ?? 'Un client';

const clientRep = async (tx: Tx, tenantId: string, clientId: string) =>
  (await tx.client.findFirst({ where: { id: clientId, tenantId }, select: { salesRepId: true } }))?.salesRepId ?? null;

const EUROS = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const euros = (cents: number) => EUROS.format(cents / 100);
const frenchDate = (iso: string) => iso.split('-').reverse().join('/');
