import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';
import type { TimestampedKeyValueStore } from '../../state/index.ts';
import type { Change } from '../change.ts';
import type { SourceTableStore } from '../source-table-store.ts';
import { warnSkippedRecord } from './dropped-records.ts';
import { TimestampedForwarder } from './timestamped-forwarder.ts';

/**
 * The processor behind `builder.table()` and `KStream.toTable()` (Kafka's KTableSource): each
 * record is the latest value of its key — a null value deletes the key. When the table is
 * materialized it upserts the table's store and forwards the change (through the store's cache
 * when caching is on); otherwise it forwards each record as a change without an old value.
 * Records with a null key are skipped with a warning, as a table cannot hold them.
 */
export function tableSourceProcessor<K, V>(source: SourceTableStore<K, V>, sendOldValues: () => boolean): () => Processor<K, V | null, K, Change<V>> {
  return () => new TableSourceProcessor<K, V>(source.storeName, source.materialized, sendOldValues());
}

class TableSourceProcessor<K, V> implements Processor<K, V | null, K, Change<V>> {
  private context!: ProcessorContext<K, Change<V>>;
  private store: TimestampedKeyValueStore<K, V> | undefined;
  private forwarder!: TimestampedForwarder<K, V>;

  constructor(
    private readonly storeName: string,
    private readonly materialized: boolean,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.context = context;
    if (!this.materialized) return;
    this.store = context.getStateStore(this.storeName);
    this.forwarder = new TimestampedForwarder(this.store, context, this.sendOldValues);
  }

  process(record: Record<K, V | null>): void {
    if (record.key === null || record.key === undefined) {
      warnSkippedRecord(`table "${this.storeName}"`, this.context);
      return;
    }
    if (this.store === undefined) {
      this.context.forward(record.withValue<Change<V>>({ newValue: record.value, oldValue: null }));
      return;
    }
    const previous = this.store.get(record.key);
    const oldValue = previous === null ? null : previous.value;
    this.store.put(record.key, record.value === null ? null : { value: record.value, timestamp: record.timestamp });
    this.forwarder.maybeForward(record.withValue<Change<V>>({ newValue: record.value, oldValue: this.sendOldValues ? oldValue : null }));
  }
}

/** The update processor of a global table: keeps the global store current, forwards nothing. */
export function globalTableSourceProcessor<K, V>(storeName: string): () => Processor<K, V | null, void, void> {
  return () => {
    let store: TimestampedKeyValueStore<K, V>;
    return {
      init: (context) => void (store = context.getStateStore(storeName)),
      process: (record) => {
        if (record.key === null || record.key === undefined) return;
        store.put(record.key, record.value === null ? null : { value: record.value, timestamp: record.timestamp });
      },
    };
  };
}

