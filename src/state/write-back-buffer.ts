import { SortedKeyList } from './sorted-key-list.ts';

/**
 * A persistent store's writes since its last flush: sort key → value (null = delete). While the
 * store keeps every key in memory, a Map is enough; once it does not, `keepSorted()` also keeps
 * the written keys in order, so range scans can merge them with ranges read from disk.
 */
export class WriteBackBuffer {
  private readonly writes = new Map<string, Buffer | null>();
  private sorted: SortedKeyList | undefined;

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
  }

  /** Written keys in [from, to] (`to` exclusive unless `toInclusive`), ascending; needs `keepSorted()`. */
  keysBetween(from: string, to: string | null, toInclusive: boolean): string[] {
    return this.sorted?.keysBetween(from, to, toInclusive) ?? [];
  }

  entries(): IterableIterator<[string, Buffer | null]> {
    return this.writes.entries();
  }

  clear(): void {
    this.writes.clear();
    this.sorted?.clear();
  }
}
