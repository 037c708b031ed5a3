import { describe, expect, it } from 'vitest';
import {
  assertNoConsumerFees,
  B2B_FIXED_INDEMNITY_CENTS,
  caseCharges,
  CHANNELS,
  decideCase,
  interestCents,
  itemIndemnityCents,
  type CaseFacts,
  type ChargeItem,
  type StepRule,
} from '../src/dunning/dunning-rules.ts';
import { b2bDefaultRateBasisPoints, LATE_RATE_TABLE, lateRateOn } from '../src/dunning/dunning-rates.ts';

// The pure rules of dunning: the dated rate table, B2B penalties and the 40 EUR indemnity, the
// consumer's hard rule (no fee, ever, whatever path), and the nightly decision.

const item = (fields: Partial<ChargeItem> = {}): ChargeItem => ({ amountCents: 100_000, paidCents: 0, dueDate: '2025-01-31', isInvoice: true, ...fields });

describe('the dated rate table', () => {
  it('is in order, one row per half-year, starting on 1 January or 1 July', () => {
    for (const [i, row] of LATE_RATE_TABLE.entries()) {
      expect(row.from).toMatch(/^\d{4}-(01|07)-01$/);
      if (i > 0) expect(row.from > LATE_RATE_TABLE[i - 1]!.from).toBe(true);
    }
  });

  it('gives each day the row of its half-year', () => {
    expect(lateRateOn('2025-06-30').ecbRefiBasisPoints).toBe(315);
    expect(lateRateOn('2025-07-01').ecbRefiBasisPoints).toBe(215);
    expect(lateRateOn('2024-12-31').legalBasisPoints).toBe(492);
  });

  it('makes the B2B default the ECB rate + 10 points, never below 3 × the legal rate', () => {
    expect(b2bDefaultRateBasisPoints({ from: '2025-01-01', ecbRefiBasisPoints: 315, legalBasisPoints: 371, checked: true })).toBe(1_315);
    expect(b2bDefaultRateBasisPoints({ from: '2024-01-01', ecbRefiBasisPoints: 450, legalBasisPoints: 507, checked: true })).toBe(1_521);
  });
});

describe('B2B charges', () => {
  it('charges penalties at the default rate of each half-year, cut on 1 July', () => {
    // 1,000.00 EUR due 2025-06-20, paid on 2025-07-10: 10 days at 13.15 %, 10 days at 12.15 %.
    const penalty = interestCents(100_000, '2025-06-20', '2025-07-10', (row) => b2bDefaultRateBasisPoints(row));
    expect(penalty).toBe(Math.floor((100_000 * 1_315 * 10 + 100_000 * 1_215 * 10) / 10_000 / 365 + 0.5));
    const charges = caseCharges({ audience: 'b2b', contractRateBasisPoints: null, formalNoticeOn: null }, [item({ dueDate: '2025-06-20' })], '2025-07-10');
    expect(charges.penaltyCents).toBe(penalty);
    expect(charges.penaltyCents).toBe(693);
  });

  it('uses the contract rate when it is above 3 × the legal rate, the floor otherwise', () => {
    const asOf = '2025-03-02'; // 30 days after 2025-01-31
    const at = (rate: number | null) => caseCharges({ audience: 'b2b', contractRateBasisPoints: rate, formalNoticeOn: null }, [item()], asOf).penaltyCents;
    expect(at(2_000)).toBe(Math.floor((100_000 * 2_000 * 30) / 10_000 / 365 + 0.5));
    // 1 % agreed: below 3 × 3.71 % = 11.13 %, the floor applies.
    expect(at(100)).toBe(Math.floor((100_000 * 1_113 * 30) / 10_000 / 365 + 0.5));
    expect(at(null)).toBe(Math.floor((100_000 * 1_315 * 30) / 10_000 / 365 + 0.5));
  });

  it('adds 40 EUR once per late invoice, none for a debit without an invoice or before the due date', () => {
    const terms = { audience: 'b2b' as const, contractRateBasisPoints: null, formalNoticeOn: null };
    expect(caseCharges(terms, [item(), item({ dueDate: '2025-02-15' })], '2025-03-01').indemnityCents).toBe(2 * B2B_FIXED_INDEMNITY_CENTS);
    expect(caseCharges(terms, [item({ isInvoice: false })], '2025-03-01').indemnityCents).toBe(0);
    expect(caseCharges(terms, [item({ dueDate: '2025-03-01' })], '2025-03-01').indemnityCents).toBe(0);
    // Penalties run on what is still owed: a part payment lowers them, the indemnity stays once.
    const half = caseCharges(terms, [item({ paidCents: 50_000 })], '2025-03-02');
    expect(half.indemnityCents).toBe(B2B_FIXED_INDEMNITY_CENTS);
    expect(half.outstandingCents).toBe(50_000);
    expect(half.penaltyCents).toBe(Math.floor((50_000 * 1_315 * 30) / 10_000 / 365 + 0.5));
    expect(itemIndemnityCents('b2b', true)).toBe(4_000);
    expect(itemIndemnityCents('b2b', false)).toBe(0);
  });
});

describe('the consumer hard rule: no recovery fees, ever', () => {
  it('charges a consumer no penalty, no indemnity, no fee on any path, and interest only from a formal notice', () => {
    const dues = ['2023-03-15', '2024-06-30', '2025-01-31', '2026-07-01'];
    const asOfs = ['2023-01-01', '2024-12-31', '2025-08-01', '2027-01-01'];
    const rates = [null, 0, 100, 2_000, 99_999];
    const notices = [null, '2023-06-01', '2025-02-15', '2026-12-31'];
    let paths = 0;
    for (const dueDate of dues)
      for (const asOf of asOfs)
        for (const contractRateBasisPoints of rates)
          for (const formalNoticeOn of notices)
            for (const isInvoice of [true, false])
              for (const paidCents of [0, 30_000, 100_000]) {
                const items = [item({ dueDate, isInvoice, paidCents }), item({ dueDate: '2023-01-10', isInvoice: !isInvoice, amountCents: 1 })];
                const c = caseCharges({ audience: 'b2c', contractRateBasisPoints, formalNoticeOn }, items, asOf);
                paths++;
                expect(c.penaltyCents).toBe(0);
                expect(c.indemnityCents).toBe(0);
                expect(c.feesCents).toBe(0);
                if (formalNoticeOn === null || formalNoticeOn >= asOf) expect(c.interestCents).toBe(0);
                expect(c.totalCents).toBe(c.outstandingCents + c.interestCents);
              }
    expect(paths).toBe(4 * 4 * 5 * 4 * 2 * 3);
    for (const isInvoice of [true, false]) expect(itemIndemnityCents('b2c', isInvoice)).toBe(0);
    expect(() => assertNoConsumerFees('b2c', { penaltyCents: 0, indemnityCents: 4_000, feesCents: 0 })).toThrow(/L111-8/);
    expect(() => assertNoConsumerFees('b2c', { penaltyCents: 1, indemnityCents: 0, feesCents: 0 })).toThrow();
    expect(() => assertNoConsumerFees('b2b', { penaltyCents: 1, indemnityCents: 4_000, feesCents: 0 })).not.toThrow();
  });

  it('charges a consumer legal interest from the day after the formal notice only', () => {
    const c = caseCharges({ audience: 'b2c', contractRateBasisPoints: 2_000, formalNoticeOn: '2025-03-01' }, [item()], '2025-03-31');
    expect(c.interestCents).toBe(Math.floor((100_000 * 371 * 30) / 10_000 / 365 + 0.5));
  });
});

describe('the nightly decision', () => {
  const steps: StepRule[] = [
    { position: 1, delayDays: 3, delayFrom: 'opened', channel: 'email', condition: null },
    { position: 2, delayDays: 7, delayFrom: 'previous', channel: 'registered_letter', condition: null },
    { position: 3, delayDays: 10, delayFrom: 'opened', channel: 'task', condition: null },
  ];
  const facts = (f: Partial<CaseFacts> = {}): CaseFacts => ({ status: 'open', purpose: 'recovery', level: 0, cycleStartedOn: '2026-03-01', lastStepOn: null, outstandingCents: 1_000, hasContract: false, ...f });

  it('waits for the first step, runs it on its day, then names the next one', () => {
    expect(decideCase(facts(), steps, '2026-03-03')).toEqual({ kind: 'wait', nextStepOn: '2026-03-04' });
    expect(decideCase(facts(), steps, '2026-03-04')).toEqual({ kind: 'run', step: steps[0], dueOn: '2026-03-04', level: 1, nextStepOn: '2026-03-11' });
  });

  it('runs one step a night, even when several are overdue', () => {
    const d = decideCase(facts(), steps, '2026-04-30');
    expect(d).toMatchObject({ kind: 'run', level: 1, nextStepOn: '2026-05-07' });
    // A step counted from the opening that falls before the previous one comes the day after it.
    expect(decideCase(facts({ level: 2, lastStepOn: '2026-03-20' }), steps, '2026-03-20')).toEqual({ kind: 'wait', nextStepOn: '2026-03-21' });
  });

  it('closes a paid case, waits with no date when the plan is done, leaves paused and closed cases alone', () => {
    expect(decideCase(facts({ outstandingCents: 0 }), steps, '2026-03-04')).toEqual({ kind: 'close', status: 'closed_paid' });
    expect(decideCase(facts({ level: 3, lastStepOn: '2026-03-20' }), steps, '2026-06-01')).toEqual({ kind: 'wait', nextStepOn: null });
    for (const status of ['paused', 'closed_paid', 'closed_written_off', 'closed_done'] as const) expect(decideCase(facts({ status }), steps, '2026-06-01')).toEqual({ kind: 'idle' });
  });

  it('closes a commercial follow-up once the prospect has a contract or the plan is done', () => {
    const commercial = facts({ purpose: 'commercial', outstandingCents: 0 });
    expect(decideCase(commercial, steps, '2026-03-04')).toMatchObject({ kind: 'run' });
    expect(decideCase({ ...commercial, hasContract: true }, steps, '2026-03-04')).toEqual({ kind: 'close', status: 'closed_done' });
    expect(decideCase({ ...commercial, level: 3 }, steps, '2026-06-01')).toEqual({ kind: 'close', status: 'closed_done' });
  });

  it('knows every channel', () => {
    expect(CHANNELS).toEqual(['email', 'letter', 'registered_letter', 'task', 'suspend_contract', 'terminate_contract']);
  });
});
