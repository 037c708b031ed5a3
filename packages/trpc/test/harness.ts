import { randomUUID } from 'node:crypto';
import { newTenant, testAuthDeps, uniqueEmail } from '@crm/domain/testing';
import type { AccessGrant } from '@crm/domain';
import { createCaller, createContext, type CrmServices, type RequestInfo } from '../src/index.ts';

export { uniqueEmail };

export function testServices(): CrmServices {
  return testAuthDeps();
}

/**
 * A caller that goes through context creation and every middleware, as an HTTP request would.
 * `signal` ends its subscriptions, as a closed connection would; `streamTicket` is what a stream's
 * URL carries (`?ticket=`).
 */
export async function callAs(services: CrmServices, accessToken?: string, refreshToken?: string, signal?: AbortSignal, streamTicket?: string) {
  const cookies = { set: undefined as string | undefined, cleared: false };
  const request: RequestInfo = {
    requestId: randomUUID(),
    client: { ip: '127.0.0.1', userAgent: 'vitest' },
    bearer: accessToken,
    streamTicket,
    logBindings: {},
    cookies: {
      refreshToken,
      setRefreshToken: (token) => {
        cookies.set = token;
      },
      clearRefreshToken: () => {
        cookies.cleared = true;
      },
    },
  };
  return { caller: createCaller(await createContext(services, request), signal ? { signal } : {}), cookies };
}

/** An organisation with its owner signed in, ready to call procedures. */
export async function tenantWithOwner(services: CrmServices, name = 'Société Test') {
  const owner = await newTenant(services, name);
  const { caller } = await callAs(services, owner.session.accessToken);
  return { ...owner, caller };
}

/** Invites `email` with `role` into the owner's organisation and accepts; returns the member signed in. */
export async function addMember(
  services: CrmServices,
  owner: Awaited<ReturnType<typeof tenantWithOwner>>,
  role: 'owner' | 'admin' | 'manager' | 'sales' | 'accountant' | 'viewer',
) {
  const email = uniqueEmail(role);
  const password = 'a member password';
  const invitation = await owner.caller.invitations.create({ email, role });
  const { caller: anonymous, cookies } = await callAs(services);
  const grant: AccessGrant = await anonymous.invitations.accept({ token: invitation.token, name: `Membre ${role}`, password });
  const { caller } = await callAs(services, grant.accessToken);
  const members = await owner.caller.members.list();
  const member = members.find((m) => m.email === email)!;
  return { email, password, grant, refreshToken: cookies.set!, caller, memberId: member.id, userId: member.userId, invitationId: invitation.id };
}

export async function trpcCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}
