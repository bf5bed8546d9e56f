import type { ChangelogSink, KeyValue, KeyValueBytesStore, StateStore, StateStoreContext } from './api.ts';
import { rawValueOf, timestampOf } from './timestamped-bytes.ts';
import { WrappedKeyValueBytesStore } from './wrapped-key-value-bytes-store.ts';

/**
 * Kafka's change-logging layer: every write to the store below is also sent to the store's
 * changelog sink (when the task logs), so the store can be rebuilt from its changelog.
 *
 * Records carry the timestamp of the record being processed. A timestamped store's values hold
 * their own timestamp in front (see timestamped-bytes.ts); for those the changelog gets the plain
 * value and that timestamp, as Kafka's ChangeLoggingTimestampedKeyValueBytesStore does. Deletes
 * are logged as tombstones even when the key was absent.
 *
 * @example
 * const logged = new ChangeLoggingKeyValueBytesStore(Stores.inMemoryKeyValueStore('counts').get(), false);
 * logged.init(context, root);
 * logged.put(key, value); // also context.changelogSinkFor('counts').send(key, value, context.recordTimestamp())
 */
export class ChangeLoggingKeyValueBytesStore extends WrappedKeyValueBytesStore {
  private sink: ChangelogSink | undefined;
  private context: StateStoreContext | undefined;

  constructor(inner: KeyValueBytesStore, private readonly timestampedValues: boolean) {
    super(inner);
  }

  override init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    this.context = context;
    this.sink = context.changelogSinkFor(this.name);
    return this.inner.init(context, root);
  }

  override put(key: Buffer, value: Buffer | null): void {
    this.inner.put(key, value);
    this.log(key, value);
  }

  override putIfAbsent(key: Buffer, value: Buffer): Buffer | null {
    const existing = this.inner.putIfAbsent(key, value);
    if (existing === null) this.log(key, value);
    return existing;
  }

  override putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer>>): void {
    this.inner.putAll(entries);
    for (const entry of entries) this.log(entry.key, entry.value);
  }

  override delete(key: Buffer): Buffer | null {
    const existing = this.inner.delete(key);
    this.log(key, null);
    return existing;
  }

  private log(key: Buffer, value: Buffer | null): void {
    if (this.sink === undefined) return;
    if (value !== null && this.timestampedValues) {
      this.sink.send(key, rawValueOf(value), timestampOf(value));
    } else {
      this.sink.send(key, value, this.context!.recordTimestamp());
    }
  }
}
