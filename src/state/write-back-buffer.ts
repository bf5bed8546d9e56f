import { SortedKeyList } from './sorted-key-list.ts';

/**
 * A persistent store's writes not yet on disk: sort key → value (null = delete). While the store
 * keeps every key in memory, a Map is enough; once it does not, `keepSorted()` also keeps the
 * written keys in order, so range scans can merge them with ranges read from disk.
 *
 * A flush takes the entries (`toWrite`) and drops them only once they are on disk (`written`), so
 * a read made while the write is under way (an interactive query during a commit) still sees them.
 */
export class WriteBackBuffer {
  private readonly writes = new Map<string, Buffer | null>();
  private sorted: SortedKeyList | undefined;
  /** Writes made since the last `toWrite()`. */
  private setsSinceTaken = 0;

  get size(): number {
    return this.writes.size;
  }

  /** Keeps the written keys sorted from now on (one sort of what is buffered). */
  keepSorted(): void {
    if (this.sorted !== undefined) return;
    this.sorted = new SortedKeyList();
    for (const key of [...this.writes.keys()].sort()) this.sorted.add(key);
  }

  /** The buffered value (null = a buffered delete), or undefined when the key was not written. */
  get(sortKey: string): Buffer | null | undefined {
    return this.writes.get(sortKey);
  }

  set(sortKey: string, value: Buffer | null): void {
    if (this.sorted !== undefined && !this.writes.has(sortKey)) this.sorted.add(sortKey);
    this.writes.set(sortKey, value);
    this.setsSinceTaken++;
  }

  /** Written keys in [from, to] (`to` exclusive unless `toInclusive`), ascending; needs `keepSorted()`. */
  keysBetween(from: string, to: string | null, toInclusive: boolean): string[] {
    return this.sorted?.keysBetween(from, to, toInclusive) ?? [];
  }

  entries(): IterableIterator<[string, Buffer | null]> {
    return this.writes.entries();
  }

  /** The buffered writes, to write to disk; they stay buffered (and readable) until `written`. */
  toWrite(): Array<[string, Buffer | null]> {
    this.setsSinceTaken = 0;
    return [...this.writes];
  }

  /** Drops writes `toWrite` gave that reached disk, except keys written again since. */
  written(entries: ReadonlyArray<readonly [string, Buffer | null]>): void {
    if (this.setsSinceTaken === 0) return this.clear();
    for (const [sortKey, value] of entries) {
      if (this.writes.get(sortKey) !== value) continue;
      this.writes.delete(sortKey);
      this.sorted?.delete(sortKey);
    }
  }

  clear(): void {
    this.writes.clear();
    this.sorted?.clear();
  }
}
