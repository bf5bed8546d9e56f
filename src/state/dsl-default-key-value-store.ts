import { StreamsError } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type { BulkRestoringStore, KeyScanningBytesStore, KeyValueBytesStoreSupplier, KeyValue, KeyValueIterator, StateStore, StateStoreContext } from './api.ts';
import { restoreEntries } from './restore-entries.ts';
import { InMemoryKeyValueStore } from './in-memory-key-value-store.ts';
import { LevelDbKeyValueStore } from './leveldb-key-value-store.ts';
import type { LevelDbStoreOptions } from './leveldb-key-value-store.ts';

/** The values `default.dsl.store` accepts (Kafka's `rocksDB` means LevelDB here). */
const ENGINES: { readonly [value: string]: 'leveldb' | 'in-memory' } = { leveldb: 'leveldb', rocksDB: 'leveldb', in_memory: 'in-memory' };

/**
 * The DSL default supplier of a store read by key prefixes that `prefixOf` derives from the
 * record key (the foreign-key join's subscription store, prefix-scanned by foreign key).
 */
export function dslDefaultPrefixScannedStore(name: string, prefixOf: (recordKey: Buffer) => Buffer): KeyValueBytesStoreSupplier {
  return { name, kind: 'dsl-default', get: () => new DslDefaultKeyValueStore(name, { prefetch: 'key-prefixes', prefixOf }) };
}

/**
 * The store a DSL operation gets when its `Materialized` names no supplier: LevelDB or in memory,
 * as the application's `default.dsl.store` says (default `leveldb`, as Kafka defaults to RocksDB).
 * The choice is made at `init`, when the config is known; until then nothing is open.
 */
export class DslDefaultKeyValueStore implements KeyScanningBytesStore, BulkRestoringStore {
  private inner: KeyScanningBytesStore | undefined;

  /** `options`: how a LevelDB store reads ahead once its keys are on disk only. */
  constructor(readonly name: string, private readonly options: LevelDbStoreOptions = {}) {}

  get persistent(): boolean {
    return this.inner?.persistent ?? false;
  }

  init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    const configured = context.appConfigs['default.dsl.store'] ?? 'leveldb';
    const engine = typeof configured === 'string' ? ENGINES[configured] : undefined;
    if (engine === undefined) {
      throw new StreamsError('INVALID_CONFIG', `"default.dsl.store" must be "leveldb" (or "rocksDB") or "in_memory", got ${JSON.stringify(configured)}`);
    }
    this.inner = engine === 'leveldb' ? new LevelDbKeyValueStore(this.name, this.options) : new InMemoryKeyValueStore(this.name);
    return this.inner.init(context, root);
  }

  flush(): void | Promise<void> {
    return this.store().flush();
  }

  close(): void | Promise<void> {
    return this.inner?.close();
  }

  isOpen(): boolean {
    return this.inner?.isOpen() ?? false;
  }

  get(key: Buffer): Buffer | null {
    return this.store().get(key);
  }

  put(key: Buffer, value: Buffer | null): void {
    this.store().put(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer): Buffer | null {
    return this.store().putIfAbsent(key, value);
  }

  putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer>>): void {
    this.store().putAll(entries);
  }

  delete(key: Buffer): Buffer | null {
    return this.store().delete(key);
  }

  range(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.store().range(from, to);
  }

  reverseRange(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.store().reverseRange(from, to);
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    return this.store().all();
  }

  reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return this.store().reverseAll();
  }

  prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<Buffer, Buffer> {
    return this.store().prefixScan(prefix, prefixKeySerde);
  }

  restoreBatch(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void | Promise<void> {
    return restoreEntries(this.store(), entries);
  }

  forEachKey(visit: (key: Buffer) => void): void {
    this.store().forEachKey(visit);
  }

  keysInMemory(): boolean {
    return this.store().keysInMemory?.() ?? true;
  }

  forEachKeyAsync(visit: (key: Buffer) => void): Promise<void> {
    const store = this.store();
    if (store.forEachKeyAsync !== undefined) return store.forEachKeyAsync(visit);
    store.forEachKey(visit);
    return Promise.resolve();
  }

  deleteMatchingAtFlush(matches: (key: Buffer) => boolean): void {
    const store = this.store();
    if (store.deleteMatchingAtFlush === undefined) throw new StreamsError('ILLEGAL_STATE', `state store "${this.name}" keeps its keys in memory; delete its keys one by one`);
    store.deleteMatchingAtFlush(matches);
  }

  deleteKeysWhere(matches: (sortKey: string) => boolean): number {
    return this.store().deleteKeysWhere(matches);
  }

  approximateNumEntries(): number {
    return this.store().approximateNumEntries();
  }

  private store(): KeyScanningBytesStore {
    if (this.inner === undefined) throw new StreamsError('STORE_CLOSED', `state store "${this.name}" is not open; use it only between its init and close`);
    return this.inner;
  }
}
