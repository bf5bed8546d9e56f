export type {
  KeyValue, KeyValueIterator, StateStoreContext, ChangelogSink, RestoreCallback, StateStore,
  ReadOnlyKeyValueStore, KeyValueStore, ValueAndTimestamp, TimestampedKeyValueStore, KeyValueBytesStore,
  KeyValueBytesStoreSupplier, StoreBuilder, CacheFlushListener, CachedStateStore, RecordCache,
  ChangelogRecord, CacheEntry, CachedKeyValue, DirtyEntryFlushListener,
} from './api.ts';
