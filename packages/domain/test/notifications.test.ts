import { withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import { streamNotifications, systemClock, type Actor } from '../src/index.ts';
import { newTenant, testAuthDeps } from './harness.ts';

describe('the notification stream', () => {
  it('delivers what arrives, in order, and resumes after the last one seen without loss or repeat', async () => {
    const deps = testAuthDeps();
    const org = await newTenant(deps);
    const member = await withTenant(deps.db, org.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: org.userId } }));
    const actor: Actor = { userId: org.userId, tenantId: org.tenantId, memberId: member.id, role: 'owner' };
    const listeners = new Set<() => void>();
    const signal = (_userId: string, callback: () => void) => {
      listeners.add(callback);
      return () => listeners.delete(callback);
    };
    const notify = async (title: string) => {
      await withTenant(deps.db, org.tenantId, (tx) => tx.notification.create({ data: { tenantId: org.tenantId, userId: org.userId, type: 'member.joined', title } }));
      listeners.forEach((l) => l());
    };

    await notify('before the stream opened');
    const abort = new AbortController();
    const stream = streamNotifications({ db: deps.db, actor, signal, clock: systemClock }, {}, abort.signal);
    const first = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await notify('one');
    const one = (await first).value!;
    expect(one.title).toBe('one');
    await notify('two');
    expect((await stream.next()).value!.title).toBe('two');
    abort.abort();
    await stream.return(undefined);

    // Offline for a while, then back with the last id seen.
    await notify('three');
    await notify('four');
    const resumed = streamNotifications({ db: deps.db, actor, signal, clock: systemClock }, { after: one.id }, new AbortController().signal);
    const titles = [(await resumed.next()).value!.title, (await resumed.next()).value!.title, (await resumed.next()).value!.title];
    expect(titles).toEqual(['two', 'three', 'four']);
    await resumed.return(undefined);
  });
});
