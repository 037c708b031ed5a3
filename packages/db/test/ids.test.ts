import { describe, expect, it } from 'vitest';
import { isUuid, newId } from '../src/ids.ts';

describe('newId', () => {
  it('makes distinct UUIDv7s that sort by their millisecond, across random-pool refills', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => newId(1_700_000_000_000 + i));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7'); // version
      expect('89ab').toContain(id[19]); // variant
    }
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]!.replace(/-/g, '').slice(0, 12)).toBe((1_700_000_000_000).toString(16).padStart(12, '0'));
  });

  it('keeps the order of ids made in one millisecond, past 4,096 of them and as the clock moves on', () => {
    const at = 1_800_000_000_000;
    const ids = [
      ...Array.from({ length: 10_000 }, () => newId(at)), // borrows the next milliseconds
      ...Array.from({ length: 100 }, () => newId(at + 1)), // the clock catches up: still after
      ...Array.from({ length: 100 }, () => newId(at + 50)),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]!.replace(/-/g, '').slice(0, 12)).toBe(at.toString(16).padStart(12, '0'));
    expect(ids.at(-1)!.replace(/-/g, '').slice(0, 12)).toBe((at + 50).toString(16).padStart(12, '0'));
    // Two ids of one millisecond, as one transaction writes two events.
    const [first, second] = [newId(at + 100), newId(at + 100)];
    expect(first < second).toBe(true);
  });
});
