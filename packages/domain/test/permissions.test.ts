import { describe, expect, it } from 'vitest';
import { assignableRoles, can, PERMISSIONS, ROLES, type Permission } from '../src/access/permissions.ts';

// The permission table read as the role table of ARCHITECTURE.md ("Who sees and changes what"):
// what each role may change, and what it may read. Written out here rather than derived from the
// table, so that a role quietly given a write (and the access snapshot updated with it) fails
// here too. The procedures' behaviour is swept in packages/trpc/test/viewer-writes.test.ts.

const ALL = Object.keys(PERMISSIONS) as Permission[];
const isWrite = (permission: Permission) => !permission.endsWith('.read');
const held = (role: (typeof ROLES)[number], kind: 'read' | 'write') => ALL.filter((p) => (kind === 'write') === isWrite(p) && can(role, p)).sort();

const ORGANISATION_READS: Permission[] = [
  'activities.read', 'appointments.read', 'calendar.read', 'clients.read', 'contracts.read', 'documents.read', 'invoices.read', 'letters.read', 'lists.read', 'members.read',
  'notifications.read', 'organisation.read', 'products.read', 'salesReps.read',
];

describe('the permission table', () => {
  it('knows the six roles', () => {
    expect([...ROLES]).toEqual(['owner', 'admin', 'manager', 'sales', 'accountant', 'viewer']);
  });

  it('lets the owner do everything, and the admin everything the owner does', () => {
    for (const permission of ALL) {
      expect(can('owner', permission), permission).toBe(true);
      expect(can('admin', permission), permission).toBe(true);
    }
  });

  it('gives a viewer no write at all, and every read but the administrators\' (events, invitations, audit)', () => {
    expect(held('viewer', 'write')).toEqual([]);
    expect(held('viewer', 'read')).toEqual([...ORGANISATION_READS, 'dashboard.read', 'dunning.read', 'mails.read', 'payments.read'].sort());
  });

  it('gives an accountant the viewer\'s reads and the books (accounting exports), the payments\', invoices\' and dunning cases\' writes, and resending a failed mail to a client', () => {
    expect(held('accountant', 'write')).toEqual(['commissions.write', 'dunning.write', 'invoices.write', 'letters.write', 'mailAccounts.connect', 'mails.write', 'payments.write']);
    expect(held('accountant', 'read')).toEqual([...held('viewer', 'read'), 'accounting.read', 'commissions.read'].sort());
  });

  it('gives a sales member their clients\' work, never money, imports, reassignment or the organisation', () => {
    expect(held('sales', 'write')).toEqual(['activities.write', 'appointments.write', 'clients.write', 'contracts.sign', 'contracts.write', 'documents.write', 'mailAccounts.connect']);
    // Their own commissions (row-level security on the rep).
    expect(held('sales', 'read')).toEqual([...ORGANISATION_READS, 'commissions.read'].sort());
  });

  it('gives a manager the sales member\'s writes plus imports, merges, reassignment and the reps; payments read-only', () => {
    expect(held('manager', 'write')).toEqual([...held('sales', 'write'), 'clients.import', 'clients.merge', 'clients.reassign', 'letters.write', 'salesReps.write'].sort());
    expect(held('manager', 'read')).toEqual([...ORGANISATION_READS, 'commissions.read', 'dashboard.read', 'payments.read'].sort());
  });

  it('keeps to administrators the organisation, members, invitations, lists, products, GDPR, events, audit, invoice settings and dunning plans', () => {
    const administrative: Permission[] = [
      'organisation.write', 'members.write', 'invitations.read', 'invitations.write', 'lists.write', 'products.write', 'clients.gdpr', 'events.read', 'events.replay', 'audit.read',
      'invoices.settings', 'commissions.plans', 'dunning.plans',
    ];
    for (const permission of administrative) {
      expect(ROLES.filter((role) => can(role, permission)), permission).toEqual(['owner', 'admin']);
    }
  });
});

describe('who hands out which role', () => {
  it('only an owner makes owners; an admin every other role; nobody else anything', () => {
    expect(assignableRoles('owner')).toEqual(ROLES);
    expect(assignableRoles('admin')).toEqual(['admin', 'manager', 'sales', 'accountant', 'viewer']);
    for (const role of ['manager', 'sales', 'accountant', 'viewer'] as const) expect(assignableRoles(role)).toEqual([]);
  });
});
