import { describe, expect, it } from 'vitest';
import { addMember, callAs, tenantWithOwner, testServices, trpcCode } from './harness.ts';

describe('roles', () => {
  it('a viewer reads the organisation but cannot change it or invite', async () => {
    const services = testServices();
    const owner = await tenantWithOwner(services);
    const viewer = await addMember(services, owner, 'viewer');
    expect((await viewer.caller.organisations.get()).id).toBe(owner.tenantId);
    expect(await trpcCode(viewer.caller.organisations.update({ legalName: 'Piratage SA' }))).toBe('FORBIDDEN');
    expect(await trpcCode(viewer.caller.invitations.create({ email: 'x@example.test', role: 'admin' }))).toBe('FORBIDDEN');
    expect((await owner.caller.organisations.get()).legalName).not.toBe('Piratage SA');
  });

  it('an admin manages members but cannot make or touch owners', async () => {
    const services = testServices();
    const owner = await tenantWithOwner(services);
    const admin = await addMember(services, owner, 'admin');
    const sales = await addMember(services, owner, 'sales');
    expect(await trpcCode(admin.caller.members.changeRole({ memberId: sales.memberId, role: 'manager' }))).toBe('OK');
    expect(await trpcCode(admin.caller.members.changeRole({ memberId: sales.memberId, role: 'owner' }))).toBe('FORBIDDEN');
    const ownerMember = (await owner.caller.members.list()).find((m) => m.isMe)!;
    expect(await trpcCode(admin.caller.members.remove({ memberId: ownerMember.id }))).toBe('FORBIDDEN');
    expect(await trpcCode(admin.caller.invitations.create({ email: 'boss@example.test', role: 'owner' }))).toBe('FORBIDDEN');
  });

  it('the last owner can be neither removed nor demoted; a second owner makes it possible', async () => {
    const services = testServices();
    const owner = await tenantWithOwner(services);
    const me = (await owner.caller.members.list()).find((m) => m.isMe)!;
    expect(await trpcCode(owner.caller.members.changeRole({ memberId: me.id, role: 'admin' }))).toBe('CONFLICT');
    const second = await addMember(services, owner, 'owner');
    expect(await trpcCode(second.caller.members.changeRole({ memberId: me.id, role: 'admin' }))).toBe('OK');
    expect(await trpcCode(owner.caller.members.remove({ memberId: second.memberId }))).toBe('FORBIDDEN'); // now an admin
    expect(await trpcCode(second.caller.members.remove({ memberId: second.memberId }))).toBe('CONFLICT'); // not oneself
  });

  it('a removed member loses access at once, with a still-valid token', async () => {
    const services = testServices();
    const owner = await tenantWithOwner(services);
    const sales = await addMember(services, owner, 'sales');
    expect(await trpcCode(sales.caller.members.list())).toBe('OK');
    await owner.caller.members.remove({ memberId: sales.memberId });
    expect(await trpcCode(sales.caller.members.list())).toBe('FORBIDDEN');
    expect(await trpcCode(sales.caller.organisations.get())).toBe('FORBIDDEN');
  });

  it('a procedure that fails changes nothing (its transaction rolls back)', async () => {
    const services = testServices();
    const owner = await tenantWithOwner(services);
    const before = await owner.caller.organisations.get();
    // SIRET that does not start with the SIREN: refused after the merge, nothing written.
    const code = await trpcCode(owner.caller.organisations.update({ siren: '732829320', siret: '35600000000048' }));
    expect(code).toBe('BAD_REQUEST');
    expect(await owner.caller.organisations.get()).toEqual(before);
  });
});

describe('authentication', () => {
  it('every non-public procedure refuses a caller without a token', async () => {
    const services = testServices();
    const { caller } = await callAs(services);
    expect(await trpcCode(caller.auth.me())).toBe('UNAUTHORIZED');
    expect(await trpcCode(caller.members.list())).toBe('UNAUTHORIZED');
    expect(await trpcCode(caller.organisations.get())).toBe('UNAUTHORIZED');
    expect(await trpcCode(caller.health.ping())).toBe('OK');
  });

  it('invitations: accept once, revoked ones are gone, preview needs the right secret', async () => {
    const services = testServices();
    const owner = await tenantWithOwner(services);
    const invitation = await owner.caller.invitations.create({ email: 'new.person@example.test', role: 'accountant' });
    // The link to copy is also mailed, once per invitation.
    const mail = await services.db.systemMail.findUniqueOrThrow({ where: { idempotencyKey: `invitation:${invitation.id}` } });
    expect(mail).toMatchObject({ recipient: 'new.person@example.test', template: 'invitation', status: 'queued' });
    expect(mail.link).toMatch(new RegExp(`/invitation/${invitation.token.replace('.', '\\.')}$`));
    const { caller: anonymous } = await callAs(services);
    expect(await anonymous.invitations.preview({ token: invitation.token })).toMatchObject({
      email: 'new.person@example.test',
      role: 'accountant',
      hasAccount: false,
    });
    const forged = `${owner.tenantId}.${'A'.repeat(43)}`;
    expect(await trpcCode(anonymous.invitations.preview({ token: forged }))).toBe('NOT_FOUND');
    await owner.caller.invitations.revoke({ invitationId: invitation.id });
    expect(await trpcCode(anonymous.invitations.accept({ token: invitation.token, name: 'X', password: 'long enough password' }))).toBe(
      'NOT_FOUND',
    );
    const list = await owner.caller.invitations.list();
    expect(list.find((i) => i.id === invitation.id)?.status).toBe('revoked');
  });
});
