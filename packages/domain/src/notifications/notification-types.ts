import type { Role } from '@crm/db';

/** The kinds of in-app notification, with the label the preferences screen shows. */
export const NOTIFICATION_TYPES = {
  'member.joined': 'Arrivée d’un membre',
  'member.role_changed': 'Changement de votre rôle',
  'activity.assigned': 'Tâche qui vous est confiée',
  'client.created': 'Nouveau client',
  'contract.signed': 'Contrat signé',
  'payment.received': 'Paiement reçu',
  'payment.rejected': 'Prélèvement rejeté',
  'mail.reauth_required': 'Compte de messagerie à reconnecter',
} as const;
export type NotificationType = keyof typeof NOTIFICATION_TYPES;

// Notifications are stored as written, in the organisation's language.
export const ROLE_NAMES_FR: Record<Role, string> = {
  owner: 'propriétaire',
  admin: 'administrateur',
  manager: 'manager',
  sales: 'commercial',
  accountant: 'comptable',
  viewer: 'lecture seule',
};
