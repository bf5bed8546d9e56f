import type { MaterializedStore } from './materialize.ts';

/**
 * The store of a table read from a topic (`builder.table`, `KStream.toTable`), materialized only
 * when something needs it, as Kafka Streams' KTableSource decides: a store named by `Materialized`
 * (or made by a supplier) always exists; an anonymous one exists only when a downstream operation
 * reads the table's rows (a join's value getter) or forces old values (`groupBy`, `suppress`,
 * joins). The decision is read when the topology is built, so DSL calls made after the table was
 * created count. The store name is taken when the table is created either way, so generated names
 * stay Kafka's.
 *
 * @example
 * const source = new SourceTableStore(materialize(undefined, { newStoreName: () => 'in-STATE-STORE-0000000000' }));
 * source.materialized;   // false: nothing reads the table yet
 * source.materialize();  // a join looks rows up
 */
export class SourceTableStore<K, V> {
  private needed: boolean;

  constructor(readonly store: MaterializedStore<K, V>) {
    this.needed = store.named;
  }

  get storeName(): string {
    return this.store.storeName;
  }

  /** Whether the table keeps its rows in its store (and the store's changelog). */
  get materialized(): boolean {
    return this.needed;
  }

  /** Called by an operation that reads the table's rows by key. */
  materialize(): void {
    this.needed = true;
  }

  /**
   * Kafka's `enableSendingOldValues(forceMaterialization)` on a source table: old values come from
   * the store, so they are sent when the store exists or may be created (`forceMaterialization`).
   */
  enableSendingOldValues(forceMaterialization: boolean): boolean {
    if (!forceMaterialization && !this.needed) return false;
    this.needed = true;
    return true;
  }
}
