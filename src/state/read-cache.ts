/** Bytes counted per entry on top of its key and value: Map slot, the string's and the Buffer's headers (~100 bytes for a Buffer). */
const ENTRY_OVERHEAD_BYTES = 160;
/**
 * Past the bound, the oldest entries are dropped down to this share of it: one walk from the
 * oldest entry per quarter of the bound turned over (each walk steps over the entries deleted
 * there since the Map's last rehash, so a walk per `set` was quadratic).
 */
const EVICT_TO = 0.75;

/**
 * A bounded least-recently-used cache of values read from disk, by sort key; `null` remembers that
 * a key is absent, so a key-value store that keeps no keys in memory answers a repeated miss
 * without a disk read. The owner keeps it in step with its writes (`set` at flush).
 */
export class ReadCache {
  private readonly entries = new Map<string, Buffer | null>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The cached value (null = known absent), or undefined on a miss; a hit becomes most recent. */
  get(sortKey: string): Buffer | null | undefined {
    const value = this.entries.get(sortKey);
    if (value === undefined) return undefined;
    this.entries.delete(sortKey);
    this.entries.set(sortKey, value);
    return value;
  }

  set(sortKey: string, value: Buffer | null): void {
    this.forget(sortKey);
    this.entries.set(sortKey, value);
    this.bytes += sizeOf(sortKey, value);
    if (this.bytes <= this.maxBytes) return;
    const target = this.maxBytes * EVICT_TO;
    for (const [oldest, oldValue] of this.entries) {
      if (this.bytes <= target) break;
      this.entries.delete(oldest);
      this.bytes -= sizeOf(oldest, oldValue);
    }
  }

  /** Updates the key only when it is cached (a write-through that never grows the cache). */
  update(sortKey: string, value: Buffer | null): void {
    if (this.entries.has(sortKey)) this.set(sortKey, value);
  }

  forget(sortKey: string): void {
    const old = this.entries.get(sortKey);
    if (old === undefined) return;
    this.entries.delete(sortKey);
    this.bytes -= sizeOf(sortKey, old);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

function sizeOf(sortKey: string, value: Buffer | null): number {
  return sortKey.length + (value?.length ?? 0) + ENTRY_OVERHEAD_BYTES;
}
