import type { ProcessorSupplier } from '../processor/index.ts';
import type { Serde } from '../serde/index.ts';
import { StreamsError } from '../common/index.ts';
import { TimeOrderedBufferBuilder } from '../state/index.ts';
import type { Change } from './change.ts';
import { TableGroupByNode } from './aggregation-node.ts';
import type { Grouped } from './grouped.ts';
import type { InternalStreamsBuilder } from './internal-streams-builder.ts';
import { KGroupedTable } from './kgrouped-table-handle.ts';
import { KStream } from './kstream.ts';
import { materialize } from './materialize.ts';
import type { Materialized } from './materialized.ts';
import { Named } from './named.ts';
import type { KeyValuePair } from './processors/key-value-pair.ts';
import type { Predicate } from './processors/stream-filter.ts';
import { tableFilterProcessor, tableMapValuesProcessor } from './processors/table-filter.ts';
import { tableSuppressProcessor } from './processors/table-suppress.ts';
import { tableToStreamProcessor } from './processors/table-to-stream.ts';
import type { Suppressed } from './suppressed.ts';
import { SourceTableStore } from './source-table-store.ts';
import { derivedValueGetter, storeValueGetter, suppressedValueGetter } from './table-value-getter.ts';
import type { TableValueGetterSupplier } from './table-value-getter.ts';
import { fullWindowedSerde } from './windowed-materialize.ts';
import { options } from './named-or-materialized.ts';
import type { ValueJoiner } from './processors/stream-table-join.ts';
import { joinTables } from './table-joins.ts';
import { foreignKeyJoin } from './foreign-key/foreign-key-join.ts';

/**
 * A changelog stream read as a table (Kafka Streams' KTable): each record is the latest value of
 * its key and a null value deletes the key. Its updates flow downstream as changes; `toStream()`
 * turns them back into a stream of new values.
 *
 * @example
 * const balances = builder.table('balances', Consumed.with(Serdes.String(), Serdes.Long()));
 * balances.filter((_account, balance) => balance < 0).toStream().to('overdrawn');
 */
export class KTable<K, V> {
  private sendOldValues = false;
  private readonly onEnableOldValues: ((forceMaterialization: boolean) => boolean | void) | undefined;
  private readonly fixedStoreName: string | undefined;
  private readonly source: SourceTableStore<K, V> | undefined;

  /**
   * @internal Made by the DSL. `onEnableOldValues` runs when downstream asks for old values (Kafka's
   * `enableSendingOldValues(forceMaterialization)`): a source table materializes (or declines when
   * not forced and not materialized), an unmaterialized table asks its parent, an aggregation
   * switches its processor. It returns false when old values cannot be had without forcing.
   */
  constructor(
    readonly builder: InternalStreamsBuilder,
    /** The graph node whose output (changes) this table is. */
    readonly name: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    /** The store holding this table's rows, when it is materialized; a source table's store, materialized on demand. */
    store: string | SourceTableStore<K, V> | undefined,
    onEnableOldValues?: (forceMaterialization: boolean) => boolean | void,
    /** For a windowed table (keys are `Windowed`): the grace period of its windows, which `suppress` waits for. */
    readonly windowGraceMs?: number,
    /** For an unmaterialized table derived row by row from its parent: how to read a row through the parent. */
    private readonly derivedGetter?: () => TableValueGetterSupplier<K, V>,
  ) {
    this.onEnableOldValues = onEnableOldValues;
    if (store instanceof SourceTableStore) this.source = store;
    else this.fixedStoreName = store;
  }

  /** The store holding this table's rows, or undefined while it has none. */
  get storeName(): string | undefined {
    if (this.source !== undefined) return this.source.materialized ? this.source.storeName : undefined;
    return this.fixedStoreName;
  }

  /**
   * @internal How joins read this table's current rows: its store (a source table gets one now),
   * its parent's rows through the same filter/mapValues, or — suppressed — through the suppression
   * buffer. Other unmaterialized tables must be materialized to be joined.
   */
  valueGetter(): TableValueGetterSupplier<K, V> {
    if (this.source !== undefined) {
      this.source.materialize();
      return storeValueGetter(this.source.storeName);
    }
    if (this.fixedStoreName !== undefined && this.windowGraceMs === undefined) return storeValueGetter(this.fixedStoreName);
    if (this.derivedGetter !== undefined) return this.derivedGetter();
    throw new StreamsError('TOPOLOGY_ERROR', `table "${this.name}" has no store to look rows up in; ` +
      'give the operation that made it a Materialized.as(...) so it can be joined');
  }

  /** Whether this table's processor must send old values with each change (read when tasks are built). */
  get sendsOldValues(): boolean {
    return this.sendOldValues;
  }

  /**
   * Asks this table to send each row's previous value with its change (Kafka's
   * `enableSendingOldValues`): a materialized table reads it from its store, an unmaterialized one
   * asks its parent. With `forceMaterialization` false, a source table without a store declines
   * (returns false) rather than get one; true (the default) always succeeds.
   */
  enableSendingOldValues(forceMaterialization = true): boolean {
    if (!this.sendOldValues) {
      if (this.onEnableOldValues?.(forceMaterialization) === false) return false;
      this.sendOldValues = true;
    }
    return true;
  }

  /** Keeps the rows that pass `predicate(key, value)`; other rows become deletes downstream. */
  filter(predicate: Predicate<K, V>, namedOrMaterialized?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    return this.transform('KTABLE-FILTER', namedOrMaterialized, materialized, this.valueSerde, (storeName, old) => tableFilterProcessor(predicate, true, storeName, old),
      (key, value) => (predicate(key, value) ? value : null), true);
  }

  /** Drops the rows that pass `predicate(key, value)`. */
  filterNot(predicate: Predicate<K, V>, namedOrMaterialized?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    return this.transform('KTABLE-FILTER', namedOrMaterialized, materialized, this.valueSerde, (storeName, old) => tableFilterProcessor(predicate, false, storeName, old),
      (key, value) => (predicate(key, value) ? null : value), true);
  }

  /** A new value for every row; deletes stay deletes. */
  mapValues<VR>(mapper: (value: V, key: K) => VR, namedOrMaterialized?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR> {
    return this.transform<VR>('KTABLE-MAPVALUES', namedOrMaterialized, materialized, undefined, (storeName, old) => tableMapValuesProcessor(mapper, storeName, old),
      (key, value) => mapper(value, key));
  }

  /** The stream of this table's updates: one record per change, carrying the new value (null for a delete). */
  toStream(named?: Named): KStream<K, V> {
    const name = this.builder.processorName(named?.name, 'KTABLE-TOSTREAM');
    const parent = this.name;
    this.builder.add((topology) => topology.addProcessor(name, tableToStreamProcessor<K, V>(), parent));
    return new KStream<K, V>(this.builder, name, this.keySerde, this.valueSerde, false);
  }

  /**
   * Foreign-key join: each row joins the row of `other` whose key `foreignKeyExtractor(value)`
   * returns (many rows may share one); the result is keyed by this table's key. The tables need
   * not be co-partitioned: rows travel through two internal topics.
   */
  join<KO, VO, VR>(other: KTable<KO, VO>, foreignKeyExtractor: (value: V) => KO | null, joiner: ValueJoiner<V, VO, VR, K>,
    namedOrMaterialized?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  /**
   * Joins with another table on the key (Kafka's KTable-KTable join): the result is a table whose
   * row for a key is `joiner(value, otherValue, key)` while both rows exist; it updates when either
   * side changes and deletes the row when either side is deleted. Timestamps are the later of the
   * two rows'. Both tables must be co-partitioned.
   */
  join<VO, VR>(other: KTable<K, VO>, joiner: ValueJoiner<V, VO, VR, K>, namedOrMaterialized?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  join(other: KTable<any, any>, a: Function, b?: unknown, c?: unknown, d?: unknown): KTable<K, any> {
    return this.anyJoin('inner', other, a, b, c, d);
  }

  /** Foreign-key left join: like the foreign-key `join`, but rows without a matching `other` row join with null. */
  leftJoin<KO, VO, VR>(other: KTable<KO, VO>, foreignKeyExtractor: (value: V) => KO | null, joiner: ValueJoiner<V, VO | null, VR, K>,
    namedOrMaterialized?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  /** Like `join`, but every row of this table is in the result, joined with null while the other row is absent. */
  leftJoin<VO, VR>(other: KTable<K, VO>, joiner: ValueJoiner<V, VO | null, VR, K>, namedOrMaterialized?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR>;
  leftJoin(other: KTable<any, any>, a: Function, b?: unknown, c?: unknown, d?: unknown): KTable<K, any> {
    return this.anyJoin('left', other, a, b, c, d);
  }

  /** Like `join`, but a row exists while either side's row does; the absent side is null. */
  outerJoin<VO, VR>(other: KTable<K, VO>, joiner: ValueJoiner<V | null, VO | null, VR, K>, namedOrMaterialized?: Named | Materialized<K, VR>, materialized?: Materialized<K, VR>): KTable<K, VR> {
    const given = options(namedOrMaterialized, materialized);
    return joinTables(this, other, joiner, 'outer', named(given.processorName), given.materialized);
  }

  private anyJoin(kind: 'inner' | 'left', other: KTable<unknown, unknown>, a: Function, b: unknown, c: unknown, d: unknown): KTable<K, unknown> {
    if (typeof b === 'function') {
      const given = options(c as Named | Materialized<K, unknown> | undefined, d as Materialized<K, unknown> | undefined);
      return foreignKeyJoin(this, other, a as (value: V) => unknown, b as ValueJoiner<V, unknown, unknown, K>, kind === 'left', named(given.processorName), given.materialized);
    }
    const given = options(b as Named | Materialized<K, unknown> | undefined, c as Materialized<K, unknown> | undefined);
    return joinTables(this, other as KTable<K, unknown>, a as ValueJoiner<V | null, unknown, unknown, K>, kind, named(given.processorName), given.materialized);
  }

  /**
   * Holds updates back (Kafka's `suppress`): `Suppressed.untilWindowCloses` emits each window of a
   * windowed table once, with its final value, when stream time passes the window end plus grace;
   * `Suppressed.untilTimeLimit` emits each key's latest update once it is old enough. The buffer is
   * a store with a changelog, so a restart neither loses nor repeats an emission. The result can
   * be joined: its rows are what downstream has seen (a held-back update is not visible yet).
   */
  suppress(suppressed: Suppressed): KTable<K, V> {
    const finalResults = suppressed.kind === 'until-window-closes';
    if (finalResults && this.windowGraceMs === undefined) {
      throw new StreamsError('TOPOLOGY_ERROR', 'Suppressed.untilWindowCloses applies to windowed tables (the result of windowedBy(...).count/reduce/aggregate); ' +
        'for other tables use Suppressed.untilTimeLimit');
    }
    const name = suppressed.name === undefined ? this.builder.newProcessorName('KTABLE-SUPPRESS') : `${suppressed.name}-suppress`;
    const storeName = suppressed.name === undefined ? this.builder.newStoreName('KTABLE-SUPPRESS') : `${suppressed.name}-store`;
    // A windowed key with the default key serde inside: the buffer stores it as key, start and end.
    const windowedDefault = this.windowGraceMs === undefined ? undefined : (inner: Serde<unknown>) => fullWindowedSerde(inner) as unknown as Serde<K>;
    const buffer = new TimeOrderedBufferBuilder<K, V>(storeName, this.keySerde, this.valueSerde, windowedDefault);
    const supplier = tableSuppressProcessor<K, V>({
      storeName,
      suppressDurationMs: finalResults ? this.windowGraceMs! : suppressed.timeToWaitMs,
      windowed: this.windowGraceMs !== undefined,
      finalResults,
      bufferConfig: suppressed.bufferConfig,
    });
    const parent = this.name;
    // The buffer keeps each key's prior value, so the parent always sends old values (a source table gets a store).
    this.enableSendingOldValues(true);
    this.builder.add((topology) => topology.addProcessor(name, supplier, parent).addStateStore(buffer, name));
    return new KTable<K, V>(this.builder, name, this.keySerde, this.valueSerde, undefined, (force) => this.enableSendingOldValues(force), this.windowGraceMs,
      () => suppressedValueGetter(this.valueGetter(), storeName));
  }

  /**
   * Re-groups the rows by a new key (and value) for an aggregation with an adder and a subtractor:
   * when a row changes, its old value is subtracted from its old group before the new value is added.
   * A selector returning `null` (or a pair with a null key or value) leaves that row out, as Kafka
   * Streams does.
   *
   * @example
   * users.groupBy((user, region) => (region === 'unknown' ? null : [region, user])).count();
   */
  groupBy<KR, VR>(selector: (key: K, value: V) => KeyValuePair<KR, VR> | null, grouped?: Grouped<KR, VR>): KGroupedTable<KR, VR> {
    this.enableSendingOldValues();
    const select = new TableGroupByNode<K, V, KR, VR>(this.builder, {
      parentName: this.name,
      selector,
      keySerde: grouped?.keySerde,
      valueSerde: grouped?.valueSerde,
      groupedName: grouped?.name,
      processorName: grouped?.name,
    });
    this.builder.add((topology) => select.writeTo(topology));
    return new KGroupedTable<KR, VR>(this.builder, select as unknown as TableGroupByNode<unknown, unknown, KR, VR>);
  }

  /**
   * A table derived row by row (filter, mapValues), as Kafka's KTableImpl does it: a store exists
   * only when `Materialized` names one; an anonymous `Materialized` still takes a name index (before
   * the processor's), for Kafka's numbering. A filter asks its parent for old values without forcing
   * a store (`filterSendsOld`), so a materialized parent's old values let it drop changes that are
   * null on both sides.
   */
  private transform<VR>(
    prefix: string,
    namedOrMaterialized: Named | Materialized<K, VR> | Materialized<K, V> | undefined,
    maybeMaterialized: Materialized<K, VR> | Materialized<K, V> | undefined,
    valueSerde: Serde<VR> | undefined,
    makeSupplier: (storeName: string | undefined, sendOldValues: () => boolean) => ProcessorSupplier<K, Change<V>, K, Change<VR>>,
    row: (key: K, value: V) => VR | null,
    filterSendsOld = false,
  ): KTable<K, VR> {
    const named = namedOrMaterialized instanceof Named ? namedOrMaterialized : undefined;
    const materialized = (namedOrMaterialized instanceof Named ? maybeMaterialized : namedOrMaterialized) as Materialized<K, VR> | undefined;
    const anonymous = materialized !== undefined && materialized.storeName === undefined && materialized.storeSupplier === undefined;
    if (anonymous) this.builder.newStoreName(prefix);
    const keySerde = materialized?.keySerde ?? this.keySerde;
    const store = materialized === undefined || anonymous
      ? undefined
      : materialize(materialized, { newStoreName: () => this.builder.newStoreName(prefix), keySerde, valueSerde });
    const name = this.builder.processorName(named?.name, prefix);
    const parent = this.name;
    const parentSendsOld = filterSendsOld && this.enableSendingOldValues(false);
    // A materialized result reads old values from its own store; otherwise they come from upstream.
    const table: KTable<K, VR> = new KTable<K, VR>(
      this.builder, name, keySerde, materialized?.valueSerde ?? valueSerde, store?.storeName,
      store === undefined ? (force) => this.enableSendingOldValues(force) || parentSendsOld : undefined, this.windowGraceMs,
      store === undefined ? () => derivedValueGetter(this.valueGetter(), row) : undefined,
    );
    const supplier = makeSupplier(store?.storeName, () => parentSendsOld || table.sendsOldValues);
    this.builder.add((topology) => {
      topology.addProcessor(name, supplier, parent);
      if (store !== undefined) topology.addStateStore(store.builder, name);
    });
    return table;
  }
}

function named(name: string | undefined): Named | undefined {
  return name === undefined ? undefined : Named.as(name);
}
