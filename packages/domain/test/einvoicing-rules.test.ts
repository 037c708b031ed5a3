import { describe, expect, it } from 'vitest';
import { allocate, fecAmount, journalEntry, mergeHistory, salesGroups, servicesShares } from '../src/index.ts';

// The pure rules under the exports and the platform's history (no database).

describe('e-invoicing rules', () => {
  it('allocates whole cents that add up exactly, the largest remainders first', () => {
    expect(allocate(238, [3_333, 1_001])).toEqual([183, 55]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(7, [0, 0])).toEqual([7, 0]);
    for (const [total, weights] of [[999, [1, 2, 3, 4]], [1, [5, 5]], [12_345, [7, 11, 13]]] as const) {
      expect(allocate(total, weights).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });

  it('writes FEC amounts with a decimal comma and no thousands separator', () => {
    expect([0, 5, 100, 123_456, -1_050].map(fecAmount)).toEqual(['0,00', '0,05', '1,00', '1234,56', '-10,50']);
  });

  it('balances every journal entry, exempt rows without a VAT line, and reverses a credit note', () => {
    const groups = salesGroups(
      [
        { supplyKind: 'services', vatCategory: 'S', vatRateBasisPoints: 2000, netCents: 999 },
        { supplyKind: 'goods', vatCategory: 'S', vatRateBasisPoints: 2000, netCents: 1 },
        { supplyKind: 'services', vatCategory: 'E', vatRateBasisPoints: 0, netCents: 500 },
      ],
      [
        { category: 'S', rateBasisPoints: 2000, taxableCents: 1_000, vatCents: 200, exemptionReason: null },
        { category: 'E', rateBasisPoints: 0, taxableCents: 500, vatCents: 0, exemptionReason: 'Exonération' },
      ],
    );
    for (const kind of ['invoice', 'credit_note'] as const) {
      const entry = journalEntry({ kind, number: 'X-1', grossCents: 1_700, groups, client: { id: 'c', displayName: 'Client' }, creditedInvoice: null });
      expect(entry.reduce((s, l) => s + l.debitCents, 0)).toBe(1_700);
      expect(entry.reduce((s, l) => s + l.creditCents, 0)).toBe(1_700);
      expect(entry.filter((l) => l.account.num === '445710')).toHaveLength(1);
      expect(entry[0]![kind === 'invoice' ? 'debitCents' : 'creditCents']).toBe(1_700);
    }
    expect(servicesShares(1_700, groups).reduce((s, r) => s + r.collectedCents, 0)).toBe(1_700 - 1); // the goods' cent is not reported
  });

  it('merges lifecycle statuses once each, oldest first; the latest is current', () => {
    const first = mergeHistory([], [{ code: '200', at: '2026-03-02T10:00:00.000Z', reason: null }]);
    const next = mergeHistory(first.history, [
      { code: '213', at: '2026-03-02T11:00:00.000Z', reason: 'Format invalide' },
      { code: '200', at: '2026-03-02T10:00:00.000Z', reason: null },
    ]);
    expect(next.history.map((h) => [h.code, h.label])).toEqual([
      ['200', 'Déposée'],
      ['213', 'Rejetée'],
    ]);
    expect(next.current).toMatchObject({ status: 'rejetee', code: '213' });
  });
});
