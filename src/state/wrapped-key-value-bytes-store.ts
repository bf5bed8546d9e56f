import type { Serde } from '../serde/index.ts';
import type { KeyValue, KeyValueBytesStore, KeyValueIterator, StateStore, StateStoreContext } from './api.ts';

/**
 * A layer over another bytes store that passes every call through; layers (change-logging,
 * caching) extend it and override only what they change.
 */
export abstract class WrappedKeyValueBytesStore implements KeyValueBytesStore {
  constructor(protected readonly inner: KeyValueBytesStore) {}

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    return this.inner.init(context, root);
  }

  flush(): void | Promise<void> {
    return this.inner.flush();
  }

  close(): void | Promise<void> {
    return this.inner.close();
  }

  isOpen(): boolean {
    return this.inner.isOpen();
  }

  get(key: Buffer): Buffer | null {
    return this.inner.get(key);
  }

  put(key: Buffer, value: Buffer | null): void {
    this.inner.put(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer): Buffer | null {
    return this.inner.putIfAbsent(key, value);
  }

  putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer>>): void {
    this.inner.putAll(entries);
  }

  delete(key: Buffer): Buffer | null {
    return this.inner.delete(key);
  }

  range(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.inner.range(from, to);
  }

  reverseRange(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.inner.reverseRange(from, to);
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    return this.inner.all();
  }

  reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return this.inner.reverseAll();
  }

  prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<Buffer, Buffer> {
    return this.inner.prefixScan(prefix, prefixKeySerde);
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }
}
