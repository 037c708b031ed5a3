import { describe, expect, it } from 'vitest';
import { JOB_KINDS, nextTerm, renewContracts, renewalStepsDue } from '../src/index.ts';
import { paymentsTenant } from './payments-fixtures.ts';

describe('tacit renewal: dates', () => {
  it('places the refusal day, the consumer notice window (L215-1) and the schedule day of the next term', () => {
    const next = nextTerm({ startDate: '2026-01-01', durationMonths: 12, renewedTerms: 0 }, 30);
    expect(next).toEqual({
      term: 2,
      currentEnd: '2026-12-31',
      start: '2027-01-01',
      end: '2027-12-31',
      refuseBy: '2026-12-01',
      noticeFrom: '2026-09-01',
      noticeUntil: '2026-11-01',
      extendFrom: '2026-11-01',
    });
    // Terms are counted from the start date: the third one of a contract from 10 March.
    expect(nextTerm({ startDate: '2026-03-10', durationMonths: 12, renewedTerms: 1 }, 0)).toMatchObject({
      term: 3,
      currentEnd: '2028-03-09',
      start: '2028-03-10',
      end: '2029-03-09',
      refuseBy: '2028-03-09',
    });
  });

  it('says what is due on a day: nothing before the window, the notice in it, a late one after, the schedule 60 days ahead', () => {
    const next = nextTerm({ startDate: '2026-01-01', durationMonths: 12, renewedTerms: 0 }, 30);
    const consumer = { consumer: true, noticeDone: false, extended: false };
    expect(renewalStepsDue(next, '2026-08-31', consumer)).toEqual([]);
    expect(renewalStepsDue(next, '2026-09-01', consumer)).toEqual(['notice']);
    expect(renewalStepsDue(next, '2026-11-01', consumer)).toEqual(['notice', 'extend']);
    expect(renewalStepsDue(next, '2026-11-02', consumer)).toEqual(['late-notice', 'extend']);
    expect(renewalStepsDue(next, '2026-11-02', { ...consumer, noticeDone: true })).toEqual(['extend']);
    expect(renewalStepsDue(next, '2026-12-20', { consumer: false, noticeDone: false, extended: false })).toEqual(['extend']);
    expect(renewalStepsDue(next, '2026-12-20', { consumer: false, noticeDone: false, extended: true })).toEqual([]);
  });

  it('is a daily timed job of every tenant', () => {
    expect(JOB_KINDS.find((k) => k.kind === 'contracts.renewals')?.recurring).toEqual({ key: 'daily', rule: 'daily 06:30', payload: {} });
  });
});

describe('tacit renewal: a tenant’s daily pass', () => {
  it('mails the consumer once in the window, then adds the next term’s schedule once, 60 days before the end', async () => {
    const t = await paymentsTenant();
    const client = await t.client();
    await t.run(({ tx }) => tx.client.update({ where: { id: client.id }, data: { email: 'helene@example.test' } }));
    const { contract, event } = await t.signedContract({ clientId: client.id, startDate: '2026-01-01', durationMonths: 12 });
    await t.deliver(event);
    const pass = (today: string) => t.run(({ tx }) => renewContracts(tx, t.owner.tenantId, today));

    expect(await pass('2026-08-31')).toEqual({ notices: 0, renewed: 0 });
    expect(await pass('2026-09-15')).toEqual({ notices: 1, renewed: 0 });
    expect(await pass('2026-09-16')).toEqual({ notices: 0, renewed: 0 });
    const mails = await t.run(({ tx }) => tx.outgoingEffect.findMany({ where: { template: 'contract.renewal_notice' } }));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ recipient: 'helene@example.test', subject: `Reconduction de votre contrat ${contract.number}` });
    expect(mails[0]!.textBody).toContain("jusqu'au 1 décembre 2026 inclus");
    expect(mails[0]!.textBody).toContain('du 1 janvier 2027 au 31 décembre 2027');
    expect(mails[0]!.textBody).not.toContain('après le délai');

    expect(await pass('2026-10-31')).toEqual({ notices: 0, renewed: 0 });
    expect(await pass('2026-11-01')).toEqual({ notices: 0, renewed: 1 });
    expect(await pass('2026-11-02')).toEqual({ notices: 0, renewed: 0 });
    const items = await t.run(({ tx }) => tx.scheduleItem.findMany({ where: { contractId: contract.id }, orderBy: { periodStart: 'asc' } }));
    expect(items).toHaveLength(24);
    expect(items[12]).toMatchObject({ periodStart: new Date('2027-01-01T00:00:00Z'), periodEnd: new Date('2027-01-31T00:00:00Z'), amountCents: 2_400, status: 'planned' });
    expect(items[12]!.mandateId).toBe(items[0]!.mandateId);
    expect(await t.run(({ tx }) => tx.contract.findUniqueOrThrow({ where: { id: contract.id }, select: { renewedTerms: true } }))).toEqual({ renewedTerms: 1 });
    const renewals = await t.run(({ tx }) => tx.contractRenewal.findMany({ where: { contractId: contract.id } }));
    expect(renewals).toEqual([
      expect.objectContaining({ term: 2, noticeChannel: 'email', noticeLate: false, noticeSentOn: new Date('2026-09-15T00:00:00Z'), renewedOn: new Date('2026-11-01T00:00:00Z'), itemsAdded: 12 }),
    ]);
    expect((await t.outbox('contract.renewed')).map((e) => e.payload)).toEqual([
      { contractId: contract.id, clientId: client.id, term: 2, termStart: '2027-01-01', termEnd: '2027-12-31', itemsAdded: 12 },
    ]);
    expect((await t.outbox('contract.renewal_notice')).map((e) => e.payload)).toEqual([
      { contractId: contract.id, clientId: client.id, term: 2, refuseBy: '2026-12-01', channel: 'email', late: false },
    ]);
    // The third term's notice opens a year later.
    expect(await pass('2027-08-31')).toEqual({ notices: 0, renewed: 0 });
    expect(await pass('2027-09-01')).toEqual({ notices: 1, renewed: 0 });
  });

  it('gives a person a letter task when the consumer has no e-mail, and says a missed window lets them leave at any time', async () => {
    const t = await paymentsTenant();
    const { contract, event } = await t.signedContract({ startDate: '2026-01-01', durationMonths: 12 });
    await t.deliver(event);
    expect(await t.run(({ tx }) => renewContracts(tx, t.owner.tenantId, '2026-12-20'))).toEqual({ notices: 1, renewed: 1 });
    const [task] = await t.run(({ tx }) => tx.activity.findMany({ where: { clientId: contract.clientId, kind: 'task' } }));
    expect(task).toMatchObject({ subject: `Envoyer par courrier l'avis de reconduction du contrat ${contract.number}`, ownerUserId: t.owner.userId, dueDate: new Date('2026-12-20T00:00:00Z') });
    expect(task!.body).toContain("après le délai prévu par l'article L215-1");
    expect((await t.outbox('contract.renewal_notice'))[0]!.payload).toMatchObject({ channel: 'letter_task', late: true });
  });

  it('renews a business contract without a notice, and leaves terminated, fixed-term and one-off contracts alone', async () => {
    const t = await paymentsTenant();
    const business = await t.signedContract({ startDate: '2026-01-01', durationMonths: 12, consumer: false });
    const ended = await t.signedContract({ startDate: '2026-01-01', durationMonths: 12 });
    const fixed = await t.signedContract({ startDate: '2026-01-01', durationMonths: 12 });
    const oneOff = await t.signedContract({ startDate: '2026-01-01', durationMonths: 12, billingFrequency: 'one_off' });
    for (const c of [business, ended, fixed, oneOff]) await t.deliver(c.event);
    await t.run(async ({ tx }) => {
      await tx.contract.update({ where: { id: ended.contract.id }, data: { status: 'terminated', endDate: new Date('2026-12-31T00:00:00Z') } });
      await tx.contract.update({ where: { id: fixed.contract.id }, data: { tacitRenewal: false } });
    });
    expect(await t.run(({ tx }) => renewContracts(tx, t.owner.tenantId, '2026-11-15'))).toEqual({ notices: 0, renewed: 1 });
    expect((await t.outbox('contract.renewed')).map((e) => (e.payload as { contractId: string }).contractId)).toEqual([business.contract.id]);
  });
});
