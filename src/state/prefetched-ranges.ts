import { SortedKeyList, lowerBound } from './sorted-key-list.ts';

/**
 * Bytes counted per range and per entry on top of keys and values: what V8 spends on the range
 * object, its two arrays, the strings' and Buffers' headers (a value Buffer alone is ~100 bytes),
 * so the bound is close to the heap really used.
 */
const RANGE_OVERHEAD_BYTES = 300;
const ENTRY_OVERHEAD_BYTES = 150;
/**
 * Past the bound, old ranges are dropped down to this share of it: one pass over the ranges per
 * quarter of the bound turned over, not one per range added (a Map walked from its oldest entry
 * steps over every entry deleted there since its last rehash, so a pass per add was quadratic).
 */
const EVICT_TO = 0.75;

interface CachedRange {
  readonly start: string;
  /** Exclusive end; null = unbounded. */
  readonly end: string | null;
  /** Keys held in the range, ascending (most ranges are one record key's few entries: arrays, no Map). */
  readonly keys: string[];
  /** `values[i]` is the value of `keys[i]`. */
  readonly values: Buffer[];
  bytes: number;
  /** The prefetch round that last asked for the range; ranges of the current round are never evicted. */
  round: number;
}

/**
 * Key ranges `[start, end)` read from disk before a batch of records is processed, with every
 * entry they held, so a store that keeps no keys in memory can still answer synchronous range
 * scans inside them. Ranges never partly overlap (they are key-prefix ranges: nested or apart; a
 * range inside a cached one is already covered, a range around cached ones replaces them).
 *
 * Bounded: over `maxBytes`, the least recently requested ranges are dropped, except those of the
 * current prefetch round, which the batch being processed is about to read. The owner applies
 * its writes at flush (`apply`), so a range stays equal to what is on disk.
 */
export class PrefetchedRanges {
  /** Range starts (ranges are disjoint, so their starts order them). */
  private readonly starts = new SortedKeyList();
  /** By start; Map order is recency of request, oldest first. */
  private readonly ranges = new Map<string, CachedRange>();
  private bytes = 0;
  private round = 0;

  constructor(private readonly maxBytes: number) {}

  /** Starts a prefetch round: ranges requested from now on are kept until the next round. */
  nextRound(): void {
    this.round++;
  }

  /** True when `[from, to]` (`to` exclusive unless `toInclusive`; null = unbounded) lies in one cached range. */
  covers(from: string, to: string | null, toInclusive: boolean): boolean {
    const range = this.rangeOf(from);
    if (range === undefined) return false;
    if (range.end === null) return true;
    if (to === null) return false;
    return toInclusive ? to < range.end : to <= range.end;
  }

  /** True when the range starting at `start` is cached (it then counts as requested this round). */
  touch(start: string): boolean {
    const range = this.rangeOf(start);
    if (range === undefined) return false;
    range.round = this.round;
    this.ranges.delete(range.start);
    this.ranges.set(range.start, range);
    return true;
  }

  /** The value of a key inside a cached range (null = absent there), or undefined when no range covers it. */
  lookup(sortKey: string): Buffer | null | undefined {
    const range = this.rangeOf(sortKey);
    if (range === undefined) return undefined;
    const i = lowerBound(range.keys, sortKey);
    return range.keys[i] === sortKey ? range.values[i]! : null;
  }

  /** Keys of a covered `[from, to]` held on disk at prefetch time plus applied writes, ascending. */
  keysBetween(from: string, to: string | null, toInclusive: boolean): string[] {
    const range = this.rangeOf(from);
    if (range === undefined) return [];
    const out: string[] = [];
    for (let i = lowerBound(range.keys, from); i < range.keys.length; i++) {
      const key = range.keys[i]!;
      if (to !== null && (toInclusive ? key > to : key >= to)) break;
      out.push(key);
    }
    return out;
  }

  /**
   * Caches the key-prefix range `[start, end)` with its entries (ascending), replacing cached
   * ranges inside it; call only when `touch(start)` said it is not cached.
   */
  add(start: string, end: string | null, entries: ReadonlyArray<readonly [string, Buffer]>): void {
    for (const inner of this.starts.keysBetween(start, end, false)) this.drop(this.ranges.get(inner)!);
    const range: CachedRange = { start, end, keys: [], values: [], bytes: RANGE_OVERHEAD_BYTES + start.length, round: this.round };
    for (const [key, value] of entries) {
      range.keys.push(key);
      range.values.push(value);
      range.bytes += key.length + value.length + ENTRY_OVERHEAD_BYTES;
    }
    this.starts.add(start);
    this.ranges.set(start, range);
    this.bytes += range.bytes;
    this.evictOld();
  }

  /** Applies a write that reached disk to the range holding its key, if any. */
  apply(sortKey: string, value: Buffer | null): void {
    const range = this.rangeOf(sortKey);
    if (range === undefined) return;
    const i = lowerBound(range.keys, sortKey);
    const old = range.keys[i] === sortKey ? range.values[i]! : undefined;
    const entryBytes = sortKey.length + ENTRY_OVERHEAD_BYTES;
    let change = 0;
    if (old !== undefined) change -= old.length;
    if (value === null) {
      if (old === undefined) return;
      range.keys.splice(i, 1);
      range.values.splice(i, 1);
      change -= entryBytes;
    } else if (old === undefined) {
      range.keys.splice(i, 0, sortKey);
      range.values.splice(i, 0, value);
      change += entryBytes + value.length;
    } else {
      range.values[i] = value;
      change += value.length;
    }
    range.bytes += change;
    this.bytes += change;
  }

  clear(): void {
    this.starts.clear();
    this.ranges.clear();
    this.bytes = 0;
  }

  /** The cached range holding `key`, if any. */
  private rangeOf(key: string): CachedRange | undefined {
    const start = this.starts.floor(key);
    if (start === undefined) return undefined;
    const range = this.ranges.get(start)!;
    return range.end === null || key < range.end ? range : undefined;
  }

  private drop(range: CachedRange): void {
    this.starts.delete(range.start);
    this.ranges.delete(range.start);
    this.bytes -= range.bytes;
  }

  private evictOld(): void {
    if (this.bytes <= this.maxBytes) return;
    const target = this.maxBytes * EVICT_TO;
    for (const range of this.ranges.values()) {
      if (this.bytes <= target) return;
      if (range.round === this.round) return; // oldest first: everything after is current too
      this.drop(range);
    }
  }
}
