import type { BulkRestoringStore, KeyValue, KeyValueBytesStore } from './api.ts';

/** True when `store` takes restored entries a page at a time (see `BulkRestoringStore`). */
export function restoresInBulk(store: KeyValueBytesStore): store is KeyValueBytesStore & BulkRestoringStore {
  return typeof (store as Partial<BulkRestoringStore>).restoreBatch === 'function';
}

/**
 * Applies a page of restored changelog entries to a bytes store: in one `restoreBatch` call when
 * the store has one, else one `put` per entry (the same result, in the same order).
 *
 * @example
 * await restoreEntries(bytes, records.map((r) => ({ key: r.key, value: r.value })));
 */
export function restoreEntries(store: KeyValueBytesStore, entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void | Promise<void> {
  if (restoresInBulk(store)) return store.restoreBatch(entries);
  for (const { key, value } of entries) store.put(key, value);
}
