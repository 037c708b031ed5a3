import { z } from 'zod';
import { text, ZDay } from '../shared/input-rules.ts';

/**
 * The commission rules, pure (no database, no clock): what a plan pays, when a line is earned,
 * what a clawback takes back, and what a statement adds up to. Rules: ../shared/notes/french-rules.md
 * §7. Amounts are integer cents, rates basis points (1000 = 10 %), days `YYYY-MM-DD`.
 */

export const ONE_SHOT_TRIGGERS = ['signature', 'withdrawal_end', 'activation', 'first_debit'] as const;
export type OneShotTrigger = (typeof ONE_SHOT_TRIGGERS)[number];

const cents = z.number().int('Montant en centimes entiers').min(0).max(100_000_000);
const basisPoints = z.number().int('Taux en points de base entiers').min(0).max(10_000);

export const ZOneShotRule = z.strictObject({
  trigger: z.enum(ONE_SHOT_TRIGGERS),
  /** A fixed amount, plus a share of the contract's yearly value excl. VAT. */
  fixedCents: cents.default(0),
  valueRateBasisPoints: basisPoints.default(0),
});

export const ZTier = z.strictObject({
  /** From this monthly volume (yearly value of the month's signed contracts, excl. VAT). */
  fromCents: cents,
  rateBasisPoints: basisPoints,
});

export const ZPlanRules = z
  .strictObject({
    oneShots: z.array(ZOneShotRule).max(8).default([]),
    /** Share of each collected instalment (incl. VAT as collected), earned when collected. */
    recurringRateBasisPoints: basisPoints.default(0),
    /**
     * Tiers on the month's volume. `marginal`: each slice of the volume at its own tier's rate
     * (like income tax); `retroactive`: the whole volume at the rate of the highest tier reached.
     */
    tiers: z
      .strictObject({ mode: z.enum(['marginal', 'retroactive']), brackets: z.array(ZTier).min(1).max(10) })
      .nullable()
      .default(null),
    /** At most this much per month from one-shots, recurring and tier lines (null: no cap). */
    monthlyCapCents: cents.nullable().default(null),
    /** The rep's manager earns this share of each line of the team (override). */
    managerOverrideBasisPoints: basisPoints.default(0),
    /** One-shots stay provisional until the contract's first debit is collected ("bonne fin"). */
    requireFirstDebit: z.boolean().default(true),
    /** A consumer's withdrawal period (C. consom. L221-18): one-shots wait for its end. */
    withdrawalDays: z.number().int().min(0).max(30).default(14),
    /** Cancelled, terminated or unpaid within this many months of signature: clawback. */
    clawbackMonths: z.number().int().min(0).max(60).default(6),
    /** `full`: 100 % of the line; `pro_rata`: the share of the clawback months not yet run. */
    clawbackMode: z.enum(['full', 'pro_rata']).default('full'),
  })
  .superRefine((rules, ctx) => {
    const froms = rules.tiers?.brackets.map((b) => b.fromCents) ?? [];
    if (froms.some((from, i) => i > 0 && from <= froms[i - 1]!)) {
      ctx.addIssue({ code: 'custom', path: ['tiers', 'brackets'], message: 'Les paliers vont en montant croissant' });
    }
    if (froms.length > 0 && froms[0] !== 0) ctx.addIssue({ code: 'custom', path: ['tiers', 'brackets', 0, 'fromCents'], message: 'Le premier palier part de 0' });
  });
export type PlanRules = z.output<typeof ZPlanRules>;
export type PlanRulesInput = z.input<typeof ZPlanRules>;

/** `rate` basis points of `amount`, rounded half away from zero to the cent, integers only. */
export function share(amountCents: number, rateBasisPoints: number): number {
  const product = amountCents * rateBasisPoints;
  const sign = product < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(product) + 5_000) / 10_000);
}

export const oneShotAmount = (rule: z.output<typeof ZOneShotRule>, valueCents: number): number => rule.fixedCents + share(valueCents, rule.valueRateBasisPoints);

export const recurringAmount = (rules: PlanRules, collectedCents: number): number => share(collectedCents, rules.recurringRateBasisPoints);

/** The tier commission of a month's volume, marginal or retroactive as the plan says. */
export function tierAmount(tiers: NonNullable<PlanRules['tiers']>, volumeCents: number): number {
  if (volumeCents <= 0) return 0;
  const brackets = tiers.brackets;
  if (tiers.mode === 'retroactive') {
    const reached = [...brackets].reverse().find((b) => volumeCents >= b.fromCents);
    return reached ? share(volumeCents, reached.rateBasisPoints) : 0;
  }
  let total = 0;
  brackets.forEach((b, i) => {
    const upper = brackets[i + 1]?.fromCents ?? Infinity;
    const slice = Math.min(volumeCents, upper) - b.fromCents;
    if (slice > 0) total += share(slice, b.rateBasisPoints);
  });
  return total;
}

/** What the cap takes off a month's earned commission (a non-positive amount). */
export const capDeduction = (monthlyCapCents: number | null, earnedCents: number): number =>
  monthlyCapCents === null || earnedCents <= monthlyCapCents ? 0 : monthlyCapCents - earnedCents;

// ---------------------------------------------------------------- days

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** `day` plus `months` calendar months, on the month's last day when that day does not exist. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export const monthOf = (day: string): string => `${day.slice(0, 7)}-01`;
export const monthEnd = (month: string): string => addDays(addMonths(monthOf(month), 1), -1);
export const laterDay = (a: string, b: string): string => (a > b ? a : b);

/** Whole months from `from` to `to` (a month counts once its day is reached). */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

// ---------------------------------------------------------------- earning and clawback

/**
 * The conditions of a one-shot line made on `occurredOn`: not before the withdrawal period of a
 * consumer's contract is over (signature + withdrawalDays, the day after its last), and, when the
 * plan says so, not before the first debit is collected. A trigger after those (activation, the
 * first debit itself) carries its own day.
 */
export function earningConditions(rules: PlanRules, contract: { signedOn: string; consumer: boolean; firstDebitOn: string | null }, occurredOn: string) {
  const withdrawalOver = contract.consumer ? addDays(contract.signedOn, rules.withdrawalDays + 1) : contract.signedOn;
  return {
    earnAfter: laterDay(withdrawalOver, occurredOn),
    awaitsFirstDebit: rules.requireFirstDebit && contract.firstDebitOn === null,
  };
}

/** Whether a line is earned on `today`, and from which day (the later of its conditions). */
export function earnedOn(line: { earnAfter: string; awaitsFirstDebit: boolean }, today: string): string | null {
  if (line.awaitsFirstDebit || line.earnAfter > today) return null;
  return line.earnAfter;
}

/**
 * What a clawback takes back of an earned line when the contract is cancelled, terminated or goes
 * unpaid on `eventOn`: nothing after the plan's clawback months; else all of it (`full`), or the
 * share of those months not yet run (`pro_rata`, whole months elapsed since signature).
 * Returns a non-positive amount.
 */
export function clawbackAmount(rules: PlanRules, lineCents: number, signedOn: string, eventOn: string): number {
  if (lineCents <= 0 || rules.clawbackMonths === 0) return 0;
  const elapsed = Math.max(0, monthsBetween(signedOn, eventOn));
  if (elapsed >= rules.clawbackMonths) return 0;
  if (rules.clawbackMode === 'full') return -lineCents;
  const kept = Math.floor((lineCents * elapsed) / rules.clawbackMonths);
  return -(lineCents - kept);
}

// ---------------------------------------------------------------- statements

export type StatementLineKind = 'one_shot' | 'recurring' | 'tier' | 'cap' | 'override' | 'clawback' | 'adjustment';

/**
 * A statement from the balance carried in (never positive) and its lines: clawbacks and
 * adjustments apart, the net payable never below zero, a negative total carried to the next one
 * (C. trav. L7313-7: never a deduction from pay).
 */
export function statementTotals(openingBalanceCents: number, lines: readonly { kind: StatementLineKind; amountCents: number }[]) {
  let linesCents = 0;
  let clawbacksCents = 0;
  let adjustmentsCents = 0;
  for (const line of lines) {
    if (line.kind === 'clawback') clawbacksCents += line.amountCents;
    else if (line.kind === 'adjustment') adjustmentsCents += line.amountCents;
    else linesCents += line.amountCents;
  }
  const totalCents = openingBalanceCents + linesCents + clawbacksCents + adjustmentsCents;
  return {
    openingBalanceCents,
    linesCents,
    clawbacksCents,
    adjustmentsCents,
    totalCents,
    netPayableCents: Math.max(0, totalCents),
    carriedForwardCents: Math.min(0, totalCents),
  };
}

// ---------------------------------------------------------------- simulator

export const ZSimulationInput = z.strictObject({
  contracts: z
    .array(
      z.strictObject({
        label: text(80).min(1, 'Libellé requis'),
        valueCents: cents,
        signedOn: ZDay(),
        consumer: z.boolean().default(true),
        /** Collected instalments of the month (cents each). */
        collectedCents: z.array(cents).max(24).default([]),
        /** The first debit was rejected and will not be recovered in the month. */
        unpaid: z.boolean().default(false),
        cancelledOn: ZDay().nullable().default(null),
      }),
    )
    .max(500),
});
export type SimulationInput = z.input<typeof ZSimulationInput>;

export interface SimulatedLine {
  contract: string;
  kind: StatementLineKind;
  label: string;
  amountCents: number;
}

/**
 * What a month of contracts and payments would have paid under `rules`: each one-shot whose
 * conditions hold by the month's end, the recurring share of each collected instalment, the tier
 * on the month's volume and the cap. A contract cancelled within the withdrawal period, or unpaid,
 * pays nothing. The month is the month of the first contract's signature day.
 */
export function simulateMonth(rules: PlanRules, month: string, input: z.output<typeof ZSimulationInput>) {
  const end = monthEnd(month);
  const lines: SimulatedLine[] = [];
  let volume = 0;
  for (const c of input.contracts) {
    const lost = c.unpaid || (c.cancelledOn !== null && c.cancelledOn <= end);
    if (c.signedOn >= month && c.signedOn <= end && c.cancelledOn === null) volume += c.valueCents;
    for (const rule of rules.oneShots) {
      const amount = oneShotAmount(rule, c.valueCents);
      const { earnAfter } = earningConditions(rules, { ...c, firstDebitOn: c.collectedCents.length > 0 ? c.signedOn : null }, c.signedOn);
      const waits = earnAfter > end || (rules.requireFirstDebit && c.collectedCents.length === 0);
      if (amount > 0 && !lost && !waits) lines.push({ contract: c.label, kind: 'one_shot', label: `Prime (${rule.trigger})`, amountCents: amount });
    }
    for (const collected of c.collectedCents) {
      const amount = recurringAmount(rules, collected);
      if (amount > 0) lines.push({ contract: c.label, kind: 'recurring', label: 'Commission sur encaissement', amountCents: amount });
    }
  }
  if (rules.tiers) {
    const amount = tierAmount(rules.tiers, volume);
    if (amount > 0) lines.push({ contract: '', kind: 'tier', label: `Paliers (${rules.tiers.mode === 'marginal' ? 'marginaux' : 'rétroactifs'})`, amountCents: amount });
  }
  const earned = lines.reduce((sum, l) => sum + l.amountCents, 0);
  const cap = capDeduction(rules.monthlyCapCents, earned);
  if (cap < 0) lines.push({ contract: '', kind: 'cap', label: 'Plafond mensuel', amountCents: cap });
  return { month, volumeCents: volume, lines, totals: statementTotals(0, lines) };
}
