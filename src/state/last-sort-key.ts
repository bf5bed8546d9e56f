import { toSortKey } from './sort-key.ts';

/** Keys longer than this are converted each time: checking them byte by byte would cost as much. */
const MAX_REMEMBERED_LENGTH = 64;

/**
 * The sort key of the key a store saw last, so an update (a get, then a put of the same key Buffer)
 * converts the key once. The same string also keeps its hash, so the store's Map does not hash a
 * fresh copy. Callers may reuse and rewrite a key Buffer between calls, so a remembered key counts
 * only when the Buffer is the same object and still holds the same bytes.
 *
 * @example
 * const sortKeys = new LastSortKey();
 * values.get(sortKeys.of(key)); // converts
 * values.set(sortKeys.of(key), value); // same Buffer, same bytes: the remembered string
 */
export class LastSortKey {
  private key: Buffer | undefined = undefined;
  private sortKey = '';

  of(key: Buffer): string {
    if (key === this.key && this.stillHolds(key)) return this.sortKey;
    const sortKey = toSortKey(key);
    if (key.length <= MAX_REMEMBERED_LENGTH) {
      this.key = key;
      this.sortKey = sortKey;
    }
    return sortKey;
  }

  /** Forgets the remembered key (a closed store keeps no reference to its callers' Buffers). */
  clear(): void {
    this.key = undefined;
    this.sortKey = '';
  }

  private stillHolds(key: Buffer): boolean {
    return holdsSortKey(key, this.sortKey);
  }
}

/** True when `key`'s bytes are those `sortKey` was made from (a sort key has one char per byte). */
export function holdsSortKey(key: Buffer, sortKey: string): boolean {
  if (key.length !== sortKey.length) return false;
  for (let i = 0; i < key.length; i++) if (key[i] !== sortKey.charCodeAt(i)) return false;
  return true;
}
