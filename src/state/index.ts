export type {
  StoreOperation, StoreMetricsScope, StoreOperationRecorder,
  KeyValue, KeyValueIterator, StateStoreContext, ChangelogSink, RestoreCallback, StateStore,
  ReadOnlyKeyValueStore, KeyValueStore, ValueAndTimestamp, TimestampedKeyValueStore, KeyValueBytesStore,
  KeyValueBytesStoreSupplier, StoreBuilder, CacheFlushListener, CachedStateStore, RecordCache,
  ChangelogRecord, CacheEntry, CachedKeyValue, DirtyEntryFlushListener, KeyScanningBytesStore,
  WindowStoreIterator, ReadOnlyWindowStore, WindowStore, TimestampedWindowStore, ReadOnlySessionStore, SessionStore,
  WindowBytesStoreSupplier, SessionBytesStoreSupplier, DurableStore, PrefetchingStore, BulkRestoringStore,
} from './api.ts';
export { Stores } from './stores.ts';
export { dslDefaultPrefixScannedStore } from './dsl-default-key-value-store.ts';
export { KeyValueStoreBuilder, TimestampedKeyValueStoreBuilder } from './key-value-store-builder.ts';
export { InMemoryKeyValueStore } from './in-memory-key-value-store.ts';
export { LevelDbKeyValueStore } from './leveldb-key-value-store.ts';
export { levelDbMemoryBytes } from './leveldb-access.ts';
export type { LevelDbStoreOptions, PrefetchKind } from './leveldb-key-value-store.ts';
export { TaskRecordCache, CACHE_ENTRY_OVERHEAD_BYTES } from './task-record-cache.ts';
export { RecordCacheBudget } from './record-cache-budget.ts';
export { isCachedStateStore } from './metered-key-value-store.ts';
export { isTimestampedKeyValueStore } from './metered-timestamped-key-value-store.ts';
export { TimestampedKeyValueStoreFacade } from './timestamped-key-value-store-facade.ts';
export { ValueAndTimestampSerde, valueAndTimestamp } from './value-and-timestamp-serde.ts';
export { keyValue, keyValueIterator, mapKeyValueIterator } from './key-value-iterators.ts';
export { WindowStoreBuilder, TimestampedWindowStoreBuilder, SessionStoreBuilder } from './window-store-builder.ts';
export { isWindowStore, isTimestampedWindowStore } from './metered-window-store.ts';
export { isSessionStore } from './metered-session-store.ts';
export { isWindowBytesStoreSupplier, isSessionBytesStoreSupplier } from './window-store-suppliers.ts';
export { TimeOrderedKeyValueBuffer, TimeOrderedBufferBuilder } from './time-ordered-buffer.ts';
export type { BufferedRecord } from './time-ordered-buffer.ts';
export { TimestampedWindowStoreFacade } from './timestamped-window-store-facade.ts';
export { WINDOW_SUFFIX_BYTES, SESSION_SUFFIX_BYTES } from './window-key-schema.ts';
