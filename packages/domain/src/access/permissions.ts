import type { Role } from '@crm/db';

/**
 * Who may do what, in one table. Procedures declare the permission they need on their own
 * line (`tenantProcedure.access('members.write')`); the snapshot test in packages/trpc lists
 * every procedure with the roles this table grants, so a change here shows in review.
 */
export const ROLES = ['owner', 'admin', 'manager', 'sales', 'accountant', 'viewer'] as const satisfies readonly Role[];

const everyone = ROLES;
const admins = ['owner', 'admin'] as const;

export const PERMISSIONS = {
  'organisation.read': everyone,
  'organisation.write': admins,
  'members.read': everyone,
  'members.write': admins,
  'invitations.read': admins,
  'invitations.write': admins,
  'audit.read': admins,
  'notifications.read': everyone,
  'dashboard.read': ['owner', 'admin', 'manager', 'accountant', 'viewer'],
  'events.read': admins,
  'events.replay': admins,
  'calendar.read': everyone,
  'appointments.read': everyone,
  'appointments.write': ['owner', 'admin', 'manager', 'sales'],
  'lists.read': everyone,
  'lists.write': admins,
  'products.read': everyone,
  'products.write': admins,
  'clients.read': everyone,
  'clients.write': ['owner', 'admin', 'manager', 'sales'],
  'clients.import': ['owner', 'admin', 'manager'],
  'activities.read': everyone,
  'activities.write': ['owner', 'admin', 'manager', 'sales'],
  'clients.reassign': ['owner', 'admin', 'manager'],
  'clients.merge': ['owner', 'admin', 'manager'],
  'clients.gdpr': admins,
  'salesReps.read': everyone,
  'salesReps.write': ['owner', 'admin', 'manager'],
  'contracts.read': everyone,
  'contracts.write': ['owner', 'admin', 'manager', 'sales'],
  // The signer is the client, in front of the rep: whoever may write the contract presents it.
  'contracts.sign': ['owner', 'admin', 'manager', 'sales'],
  'payments.read': ['owner', 'admin', 'manager', 'accountant', 'viewer'],
  'payments.write': ['owner', 'admin', 'accountant'],
  // Invoices follow the client scope (row-level security) like contracts; issuing, credit notes
  // and drafts are the back office's and the accountant's.
  'invoices.read': ['owner', 'admin', 'manager', 'sales', 'accountant', 'viewer'],
  'invoices.write': ['owner', 'admin', 'accountant'],
  'invoices.settings': admins,
  // The sales journal (FEC layout) and the e-reporting data: the books, for the accountant.
  'accounting.read': ['owner', 'admin', 'accountant'],
  // The organisation's mail to its clients (message log, every client's: not for the scoped roles);
  // resending a failed one is for who runs the organisation and its money.
  'mails.read': ['owner', 'admin', 'accountant', 'viewer'],
  'mails.write': ['owner', 'admin', 'accountant'],
  // Commissions are a person's pay: the rep's own (sales), the team's (a manager with a team),
  // everyone's for the back office (row-level security on the rep, like clients); not viewers.
  'commissions.read': ['owner', 'admin', 'manager', 'sales', 'accountant'],
  // Plans are the organisation's pay policy; statements and adjustments the payroll's.
  'commissions.plans': admins,
  'commissions.write': ['owner', 'admin', 'accountant'],
  // Dunning (relance): the back office's, organisation-wide like the mail log (cases follow the
  // client scope in the database all the same); plans are the organisation's settings.
  'dunning.read': ['owner', 'admin', 'accountant', 'viewer'],
  'dunning.write': ['owner', 'admin', 'accountant'],
  'dunning.plans': admins,
  // A member's own mail account (Gmail, Outlook, SMTP) connected for the organisation's mail; not a viewer's.
  // Which account sends the organisation's automated mail is 'organisation.write'.
  'mailAccounts.connect': ['owner', 'admin', 'manager', 'sales', 'accountant'],
  'documents.read': everyone,
  // Letters cost postage: the back office and managers post them; everyone reads those of the clients they see.
  'letters.read': everyone,
  'letters.write': ['owner', 'admin', 'manager', 'accountant'],
  'documents.write': ['owner', 'admin', 'manager', 'sales'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Roles a member of `role` may hand out: only an owner makes owners. */
export function assignableRoles(role: Role): readonly Role[] {
  if (role === 'owner') return ROLES;
  if (role === 'admin') return ROLES.filter((r) => r !== 'owner');
  return [];
}
