import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SortedKeyList } from '../../src/state/sorted-key-list.ts';
import { fromSortKey, prefixUpperBound, toSortKey } from '../../src/state/sort-key.ts';

/** Keys from a tiny alphabet so inserts, deletes and bounds collide often. */
const keyArb = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '\u00ff', '\u0000'), maxLength: 4 });

type Op = { kind: 'add' | 'delete'; key: string };
const opArb: fc.Arbitrary<Op> = fc.record({ kind: fc.constantFrom('add', 'delete'), key: keyArb });

/** Applies adds (addIfAbsent) and deletes to `list` and to `reference`, checking each answer against the reference. */
function applyWideOps(list: SortedKeyList, reference: Set<string>, ops: ReadonlyArray<{ add: boolean; key: string }>): void {
  for (const { add, key } of ops) {
    if (add) {
      expect(list.addIfAbsent(key)).toBe(!reference.has(key));
      reference.add(key);
    } else {
      expect(list.delete(key)).toBe(reference.delete(key));
    }
  }
}

describe('SortedKeyList', () => {
  it('keeps the same keys in the same order as a sorted reference set, across chunk splits', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 3000 }), fc.option(keyArb), fc.option(keyArb), (ops, from, to) => {
        const list = new SortedKeyList();
        const reference = new Set<string>();
        for (const op of ops) {
          if (op.kind === 'add') {
            if (!reference.has(op.key)) list.add(op.key);
            reference.add(op.key);
          } else {
            expect(list.delete(op.key)).toBe(reference.delete(op.key));
          }
        }
        const sorted = [...reference].sort();
        expect(list.size).toBe(sorted.length);
        expect(list.keysBetween(null, null)).toEqual(sorted);
        const expected = sorted.filter((k) => (from === null || k >= from) && (to === null || k <= to));
        expect(list.keysBetween(from, to)).toEqual(expected);
        const exclusive = sorted.filter((k) => (from === null || k >= from) && (to === null || k < to));
        expect(list.keysBetween(from, to, false)).toEqual(exclusive);
      }),
      { seed: 20261124, numRuns: 200 },
    );
  });

  it('stays in step with the reference when chunks split and empty out (thousands of keys, added with addIfAbsent)', () => {
    const wideKey = fc.integer({ min: 0, max: 4000 }).map((n) => String(n).padStart(4, '0'));
    fc.assert(
      fc.property(fc.array(fc.record({ add: fc.boolean(), key: wideKey }), { minLength: 2000, maxLength: 6000 }), fc.option(wideKey), fc.option(wideKey), (ops, from, to) => {
        const list = new SortedKeyList();
        const reference = new Set<string>();
        applyWideOps(list, reference, ops);
        const sorted = [...reference].sort();
        expect(list.size).toBe(sorted.length);
        expect(list.keysBetween(from, to)).toEqual(sorted.filter((k) => (from === null || k >= from) && (to === null || k <= to)));
      }),
      { seed: 99, numRuns: 30 },
    );
  });

  it('removes the keys a predicate accepts in one pass, and stays in step with the reference after it', () => {
    const wideKey = fc.integer({ min: 0, max: 4000 }).map((n) => String(n).padStart(4, '0'));
    const opsArb = fc.array(fc.record({ add: fc.boolean(), key: wideKey }), { maxLength: 3000 });
    fc.assert(
      fc.property(opsArb, fc.integer({ min: 1, max: 7 }), wideKey, opsArb, (before, modulus, below, after) => {
        const list = new SortedKeyList();
        const reference = new Set<string>();
        const apply = (ops: ReadonlyArray<{ add: boolean; key: string }>) => applyWideOps(list, reference, ops);
        apply(before);
        const matches = (key: string) => Number(key) % modulus === 0 || key < below;
        const expectedRemoved = [...reference].filter(matches).sort();
        expect(list.removeWhere(matches)).toEqual(expectedRemoved);
        for (const key of expectedRemoved) reference.delete(key);
        apply(after);
        const sorted = [...reference].sort();
        expect(list.size).toBe(sorted.length);
        expect(list.keysBetween(null, null)).toEqual(sorted);
        expect(list.keysBetween(below, null)).toEqual(sorted.filter((k) => k >= below));
        expect(list.floor(below) ?? null).toBe(sorted.filter((k) => k <= below).at(-1) ?? null);
      }),
      { seed: 20261206, numRuns: 60 },
    );
  });

  it('deletes a sorted batch of keys, present or not, like one delete per key', () => {
    const wideKey = fc.integer({ min: 0, max: 4000 }).map((n) => String(n).padStart(4, '0'));
    fc.assert(
      fc.property(fc.uniqueArray(wideKey, { maxLength: 3000 }), fc.uniqueArray(wideKey, { maxLength: 1500 }), fc.array(wideKey, { maxLength: 200 }), (added, batch, after) => {
        const list = new SortedKeyList();
        const reference = new Set<string>(added);
        for (const key of added) list.add(key);
        const present = batch.filter((key) => reference.has(key)).length;
        expect(list.deleteSorted([...batch].sort())).toBe(present);
        for (const key of batch) reference.delete(key);
        for (const key of after) {
          expect(list.addIfAbsent(key)).toBe(!reference.has(key));
          reference.add(key);
        }
        const sorted = [...reference].sort();
        expect(list.size).toBe(sorted.length);
        expect(list.keysBetween(null, null)).toEqual(sorted);
        for (const key of after.slice(0, 20)) expect(list.has(key)).toBe(true);
      }),
      { seed: 20261207, numRuns: 60 },
    );
  });

  it('orders thousands of distinct keys so chunks split and merge correctly', () => {
    const list = new SortedKeyList();
    const keys = Array.from({ length: 5000 }, (_, i) => String(i).padStart(5, '0'));
    for (const key of [...keys].reverse()) list.add(key);
    for (let i = 0; i < keys.length; i += 2) list.delete(keys[i]!);
    expect(list.keysBetween(null, null)).toEqual(keys.filter((_, i) => i % 2 === 1));
    expect(list.keysBetween('01000', '01005')).toEqual(['01001', '01003', '01005']);
  });
});

describe('sort keys', () => {
  it('compare like unsigned bytes (0x80 sorts after 0x7f, unlike signed Java bytes)', () => {
    const low = toSortKey(Buffer.from([0x7f]));
    const high = toSortKey(Buffer.from([0x80]));
    const longer = toSortKey(Buffer.from([0x7f, 0x00]));
    expect(low < high).toBe(true);
    expect(low < longer).toBe(true);
    expect(fromSortKey(high)).toEqual(Buffer.from([0x80]));
  });

  it('give the first key past every key with a prefix, or none for an all-0xff prefix', () => {
    expect(prefixUpperBound(toSortKey(Buffer.from([0x01, 0xff])))).toBe(toSortKey(Buffer.from([0x02])));
    expect(prefixUpperBound(toSortKey(Buffer.from([0xff, 0xff])))).toBeNull();
    expect(prefixUpperBound('')).toBeNull();
  });
});
