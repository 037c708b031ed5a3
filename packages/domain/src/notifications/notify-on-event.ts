import type { Tx } from '@crm/db';
import type { EventEnvelope } from '../events/catalogue.ts';
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
    default:
      return null;
  }
}
