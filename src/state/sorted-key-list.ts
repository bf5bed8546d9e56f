/**
 * A sorted set of distinct string keys, stored as a list of sorted chunks (each at most
 * `2 * CHUNK_LOAD` long) with the last key of every chunk kept aside for binary search. Insert and
 * remove cost O(log n + CHUNK_LOAD) array moves instead of O(n), and a range is one binary search
 * plus a copy of the keys in it, so stores never sort their whole content to answer a scan.
 */
export class SortedKeyList {
  private chunks: string[][] = [];
  /** `lastKeys[i]` is the greatest key of `chunks[i]`; kept in step with `chunks`. */
  private lastKeys: string[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `key`; the caller guarantees it is not present (stores check their Map first). */
  add(key: string): void {
    if (this.chunks.length === 0) {
      this.count++;
      this.chunks.push([key]);
      this.lastKeys.push(key);
      return;
    }
    let c = this.chunkFor(key);
    if (c === this.chunks.length) c--; // greater than every key: append to the last chunk
    this.insertAt(c, lowerBound(this.chunks[c]!, key), key);
  }

  /** Adds `key` unless present (one search instead of `has` then `add`); returns whether it was added. */
  addIfAbsent(key: string): boolean {
    const c = this.chunkFor(key);
    const chunk = this.chunks[c];
    if (chunk === undefined) {
      this.add(key);
      return true;
    }
    const i = lowerBound(chunk, key);
    if (chunk[i] === key) return false;
    this.insertAt(c, i, key);
    return true;
  }

  /** Inserts `key` at index `i` of chunk `c` (where it sorts), splitting the chunk when it grows too long. */
  private insertAt(c: number, i: number, key: string): void {
    const chunk = this.chunks[c]!;
    this.count++;
    chunk.splice(i, 0, key);
    this.lastKeys[c] = chunk[chunk.length - 1]!;
    if (chunk.length > 2 * CHUNK_LOAD) this.split(c);
  }

  /** Whether `key` is in the list. */
  has(key: string): boolean {
    const chunk = this.chunks[this.chunkFor(key)];
    return chunk !== undefined && chunk[lowerBound(chunk, key)] === key;
  }

  /** Removes `key` if present; returns whether it was. */
  delete(key: string): boolean {
    const c = this.chunkFor(key);
    const chunk = this.chunks[c];
    if (chunk === undefined) return false;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return false;
    this.count--;
    chunk.splice(i, 1);
    if (chunk.length === 0) {
      this.chunks.splice(c, 1);
      this.lastKeys.splice(c, 1);
    } else {
      this.lastKeys[c] = chunk[chunk.length - 1]!;
    }
    return true;
  }

  /** The greatest key <= `key`, or undefined when there is none. */
  floor(key: string): string | undefined {
    const c = this.chunkFor(key);
    if (c === this.chunks.length) return this.lastKeys[c - 1];
    const chunk = this.chunks[c]!;
    const i = lowerBound(chunk, key);
    if (chunk[i] === key) return key;
    return i > 0 ? chunk[i - 1] : this.lastKeys[c - 1];
  }

  /** The smallest key, or undefined when the list is empty. */
  first(): string | undefined {
    return this.chunks[0]?.[0];
  }

  clear(): void {
    this.chunks = [];
    this.lastKeys = [];
    this.count = 0;
  }

  /**
   * A copy of the keys in [from, to] in ascending order (`to` exclusive when `toInclusive` is
   * false); a null bound is unbounded. Empty when from > to.
   */
  keysBetween(from: string | null, to: string | null, toInclusive = true): string[] {
    const out: string[] = [];
    let c = from === null ? 0 : this.chunkFor(from);
    let i = from === null || c === this.chunks.length ? 0 : lowerBound(this.chunks[c]!, from);
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c]!;
      for (; i < chunk.length; i++) {
        const key = chunk[i]!;
        if (to !== null && (toInclusive ? key > to : key >= to)) return out;
        out.push(key);
      }
    }
    return out;
  }

  /**
   * Removes every key `matches` accepts, in one pass over the chunks (no search or splice per key),
   * and returns them in ascending order: dropping expired windows deletes many keys at once.
   */
  removeWhere(matches: (key: string) => boolean): string[] {
    const removed: string[] = [];
    const chunks: string[][] = [];
    const lastKeys: string[] = [];
    for (const chunk of this.chunks) {
      let kept = 0;
      for (let i = 0; i < chunk.length; i++) {
        const key = chunk[i]!;
        if (matches(key)) removed.push(key);
        else chunk[kept++] = key;
      }
      if (kept === 0) continue;
      chunk.length = kept;
      chunks.push(chunk);
      lastKeys.push(chunk[kept - 1]!);
    }
    this.chunks = chunks;
    this.lastKeys = lastKeys;
    this.count -= removed.length;
    return removed;
  }

  /**
   * Removes the given keys (ascending, distinct; absent ones are ignored) with one filter pass per
   * chunk that holds any of them, instead of a search and a splice per key; returns how many were
   * present.
   */
  deleteSorted(keys: readonly string[]): number {
    let removed = 0;
    let j = 0;
    while (j < keys.length) {
      const c = this.chunkFor(keys[j]!);
      if (c === this.chunks.length) break;
      const chunk = this.chunks[c]!;
      let i = lowerBound(chunk, keys[j]!);
      let kept = i;
      // Every key up to this chunk's greatest is consumed here: removed if present, skipped if not.
      for (; i < chunk.length; i++) {
        const key = chunk[i]!;
        while (j < keys.length && keys[j]! < key) j++;
        if (j < keys.length && keys[j] === key) {
          j++;
          removed++;
        } else {
          chunk[kept++] = key;
        }
      }
      chunk.length = kept;
      if (kept === 0) {
        this.chunks.splice(c, 1);
        this.lastKeys.splice(c, 1);
      } else {
        this.lastKeys[c] = chunk[kept - 1]!;
      }
    }
    this.count -= removed;
    return removed;
  }

  /** Index of the first chunk whose greatest key is >= key (chunks.length when none). */
  private chunkFor(key: string): number {
    return lowerBound(this.lastKeys, key);
  }

  private split(c: number): void {
    const chunk = this.chunks[c]!;
    const upper = chunk.splice(CHUNK_LOAD);
    this.chunks.splice(c + 1, 0, upper);
    this.lastKeys[c] = chunk[chunk.length - 1]!;
    this.lastKeys.splice(c + 1, 0, upper[upper.length - 1]!);
  }
}

/** Chunks split when they pass twice this length; 512 keeps splices short and the chunk index small. */
const CHUNK_LOAD = 512;

/** Index of the first element >= key in a sorted array (array.length when none). */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
