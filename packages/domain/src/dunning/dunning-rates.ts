/**
 * The dated rates late payments are charged at (french-rules.md §4), one row per half-year: the
 * rate of a day is the one of the half-year it falls in.
 * - `ecbRefiBasisPoints`: the ECB's main refinancing rate (its most recent operation) on 1 January
 *   for the first half-year, on 1 July for the second (C. com. L441-10 II: the B2B default is this
 *   rate + 10 points). Source: ECB, "Key ECB interest rates" (MRO fixed rate).
 * - `legalBasisPoints`: the legal interest rate for creditors other than private persons (C. mon.
 *   fin. L313-2, set every half-year by arrêté, published in the Journal officiel): the B2B floor
 *   is 3 × this rate; a consumer owes interest at this rate only, and only from a formal notice.
 * `checked: false` marks a row taken from memory and not yet checked against its primary source:
 * a person confirms it (the Journal officiel, the ECB) before the half-year it covers.
 */
export interface LateRateRow {
  /** First day of the half-year (YYYY-01-01 or YYYY-07-01). */
  from: string;
  ecbRefiBasisPoints: number;
  legalBasisPoints: number;
  checked: boolean;
}

export const LATE_RATE_TABLE: readonly LateRateRow[] = [
  { from: '2023-01-01', ecbRefiBasisPoints: 250, legalBasisPoints: 206, checked: true },
  { from: '2023-07-01', ecbRefiBasisPoints: 400, legalBasisPoints: 422, checked: true },
  { from: '2024-01-01', ecbRefiBasisPoints: 450, legalBasisPoints: 507, checked: true },
  { from: '2024-07-01', ecbRefiBasisPoints: 425, legalBasisPoints: 492, checked: true },
  { from: '2025-01-01', ecbRefiBasisPoints: 315, legalBasisPoints: 371, checked: true },
  { from: '2025-07-01', ecbRefiBasisPoints: 215, legalBasisPoints: 276, checked: true },
  { from: '2026-01-01', ecbRefiBasisPoints: 215, legalBasisPoints: 262, checked: false },
  { from: '2026-07-01', ecbRefiBasisPoints: 215, legalBasisPoints: 262, checked: false },
];

/** The row in force on `day`; before the table's first row, its first row (never a zero rate). */
export function lateRateOn(day: string, table: readonly LateRateRow[] = LATE_RATE_TABLE): LateRateRow {
  let found = table[0]!;
  for (const row of table) if (row.from <= day) found = row;
  return found;
}

/** 10 points above the ECB rate (L441-10 II), never below 3 × the legal rate. */
export function b2bDefaultRateBasisPoints(row: LateRateRow): number {
  return Math.max(row.ecbRefiBasisPoints + 1_000, 3 * row.legalBasisPoints);
}
