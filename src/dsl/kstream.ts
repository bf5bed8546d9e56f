import { StreamsError } from '../common/index.ts';
import type { FixedKeyProcessorSupplier, ProcessorSupplier, TopicNameExtractor } from '../processor/index.ts';
import type { Serde } from '../serde/index.ts';
import { definedSerdes } from './aggregation-node.ts';
import { Branched } from './branched.ts';
import { BranchedKStream } from './branched-kstream.ts';
import type { Grouped } from './grouped.ts';
import type { InternalStreamsBuilder } from './internal-streams-builder.ts';
import { KGroupedStream } from './kgrouped-stream-handle.ts';
import { KTable } from './ktable.ts';
import { materialize } from './materialize.ts';
import { SourceTableStore } from './source-table-store.ts';
import type { Materialized } from './materialized.ts';
import { Named } from './named.ts';
import type { Produced } from './produced.ts';
import type { Repartitioned } from './repartitioned.ts';
import { streamFilterProcessor, type Predicate } from './processors/stream-filter.ts';
import { streamFlatMapProcessor, streamFlatMapValuesProcessor } from './processors/stream-flat-map.ts';
import type { KeyValuePair } from './processors/key-value-pair.ts';
import { streamMapProcessor, streamSelectKeyProcessor } from './processors/stream-map.ts';
import { streamMapValuesProcessor } from './processors/stream-map-values.ts';
import { passThroughProcessor, streamPeekProcessor } from './processors/stream-peek.ts';
import { repartitionNullKeyFilterProcessor } from './processors/repartition-null-key-filter.ts';
import { tableSourceProcessor } from './processors/table-source.ts';
import type { ValueJoiner } from './processors/stream-table-join.ts';
import type { Joined } from './joined.ts';
import type { StreamJoined } from './stream-joined.ts';
import { isGlobalKTable, type GlobalKTable } from './streams-builder.ts';
import { joinStreams, joinStreamWithGlobalTable, joinStreamWithTable } from './stream-joins.ts';
import { JoinWindows } from './windows/join-windows.ts';

/**
 * An unbounded stream of independent records (Kafka Streams' KStream). Every operation adds a node
 * to the builder's graph and returns a new handle; nothing runs until the built topology does.
 *
 * Callbacks take their arguments in Kafka Streams' order: `(key, value)` for `filter`, `filterNot`,
 * the predicates of `split`, `map`, `flatMap`, `selectKey`, `groupBy`, `peek` and `foreach`;
 * `mapValues` and `flatMapValues` take the value first, with the key as an optional second
 * argument, as Kafka's `ValueMapper`/`ValueMapperWithKey` do. An operation that may change the key (`map`, `flatMap`, `selectKey`, `process`)
 * makes a later grouping go through a repartition topic.
 *
 * @example
 * builder.stream('orders', Consumed.with(Serdes.String(), Serdes.Json<Order>()))
 *   .filter((_key, order) => order.amount > 0)
 *   .mapValues((order) => order.amount)
 *   .to('amounts', Produced.with(Serdes.String(), Serdes.Double()));
 */
export class KStream<K, V> {
  /** @internal Made by StreamsBuilder and by other handles, not by users. */
  constructor(
    readonly builder: InternalStreamsBuilder,
    /** The graph node whose output this stream is. */
    readonly name: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    /** True after an operation that may have changed the key. */
    readonly repartitionRequired: boolean,
  ) {}

  /** Keeps the records that pass `predicate(key, value)`. */
  filter(predicate: Predicate<K, V>, named?: Named): KStream<K, V> {
    return this.stateless('KSTREAM-FILTER', named, streamFilterProcessor(predicate, true), this.keySerde, this.valueSerde, false);
  }

  /** Drops the records that pass `predicate(key, value)`. */
  filterNot(predicate: Predicate<K, V>, named?: Named): KStream<K, V> {
    return this.stateless('KSTREAM-FILTER', named, streamFilterProcessor(predicate, false), this.keySerde, this.valueSerde, false);
  }

  /** A new key and value per record, returned as `[key, value]` or `{ key, value }`. */
  map<KR, VR>(mapper: (key: K, value: V) => KeyValuePair<KR, VR>, named?: Named): KStream<KR, VR> {
    return this.stateless('KSTREAM-MAP', named, streamMapProcessor(mapper), undefined, undefined, true);
  }

  /** A new value per record; the key stays, so no repartitioning follows. */
  mapValues<VR>(mapper: (value: V, key: K) => VR, named?: Named): KStream<K, VR> {
    return this.stateless('KSTREAM-MAPVALUES', named, streamMapValuesProcessor(mapper), this.keySerde, undefined, false);
  }

  /** Zero or more new records per record. */
  flatMap<KR, VR>(mapper: (key: K, value: V) => Iterable<KeyValuePair<KR, VR>>, named?: Named): KStream<KR, VR> {
    return this.stateless('KSTREAM-FLATMAP', named, streamFlatMapProcessor(mapper), undefined, undefined, true);
  }

  /** Zero or more new values per record, each keeping the record's key. */
  flatMapValues<VR>(mapper: (value: V, key: K) => Iterable<VR>, named?: Named): KStream<K, VR> {
    return this.stateless('KSTREAM-FLATMAPVALUES', named, streamFlatMapValuesProcessor(mapper), this.keySerde, undefined, false);
  }

  /** A new key per record, computed from the key and value. */
  selectKey<KR>(selector: (key: K, value: V) => KR, named?: Named): KStream<KR, V> {
    return this.stateless('KSTREAM-KEY-SELECT', named, streamSelectKeyProcessor(selector), undefined, this.valueSerde, true);
  }

  /** Runs `action` on each record and passes it on unchanged (logging, metrics). */
  peek(action: (key: K, value: V) => void, named?: Named): KStream<K, V> {
    return this.stateless('KSTREAM-PEEK', named, streamPeekProcessor(action, true), this.keySerde, this.valueSerde, false);
  }

  /** Runs `action` on each record; the end of this branch of the topology. */
  foreach(action: (key: K, value: V) => void, named?: Named): void {
    this.stateless('KSTREAM-FOREACH', named, streamPeekProcessor(action, false), this.keySerde, this.valueSerde, false);
  }

  /**
   * Routes each record to the first branch whose predicate it passes. Finish with
   * `defaultBranch()` or `noDefaultBranch()` to get the branches by name.
   */
  split(named?: Named): BranchedKStream<K, V> {
    return new BranchedKStream(this, this.builder.processorName(named?.name, 'KSTREAM-BRANCH'));
  }

  /** One stream with the records of both, in the order they arrive. */
  merge(other: KStream<K, V>, named?: Named): KStream<K, V> {
    if (other.builder !== this.builder) {
      throw new StreamsError('TOPOLOGY_ERROR', 'merge() needs two streams of the same StreamsBuilder');
    }
    const name = this.builder.processorName(named?.name, 'KSTREAM-MERGE');
    const parents = [this.name, other.name];
    this.builder.add((topology) => topology.addProcessor(name, passThroughProcessor<K, V>(), ...parents));
    const keySerde = this.keySerde ?? other.keySerde;
    const valueSerde = this.valueSerde ?? other.valueSerde;
    return new KStream(this.builder, name, keySerde, valueSerde, this.repartitionRequired || other.repartitionRequired);
  }

  /**
   * Writes the stream through an internal topic `<application.id>-<name>-repartition` and reads it
   * back, so records are partitioned by their current key. Records with a null key are dropped
   * there (Kafka 4.x), unless a left or outer join downstream takes them.
   */
  repartition(repartitioned?: Repartitioned<K, V>): KStream<K, V> {
    const name = repartitioned?.name ?? this.builder.newProcessorName('KSTREAM-REPARTITION');
    const keySerde = repartitioned?.keySerde ?? this.keySerde;
    const valueSerde = repartitioned?.valueSerde ?? this.valueSerde;
    const sourceName = this.throughRepartitionTopic(name, keySerde, valueSerde, repartitioned?.numberOfPartitions, repartitioned?.partitioner);
    return new KStream(this.builder, sourceName, keySerde, valueSerde, false);
  }

  /** Writes every record to `topic` (or to the topic `extractor` picks per record). */
  to(topic: string | TopicNameExtractor<K, V>, produced?: Produced<K, V>): void {
    const name = this.builder.processorName(produced?.processorName, 'KSTREAM-SINK');
    const parent = this.name;
    const options = {
      name,
      topic,
      ...definedSerdes(produced?.keySerde ?? this.keySerde, produced?.valueSerde ?? this.valueSerde),
      ...(produced?.partitioner === undefined ? {} : { partitioner: produced.partitioner }),
    };
    this.builder.add((topology) => topology.addSink(options, parent));
  }

  /**
   * The stream read as a changelog: each record upserts its key, a null value deletes it. As with
   * `builder.table`, the table has a store only when `Materialized` names one or a later operation
   * reads its rows or needs old values.
   */
  toTable(namedOrMaterialized?: Named | Materialized<K, V>, maybeMaterialized?: Materialized<K, V>): KTable<K, V> {
    const named = namedOrMaterialized instanceof Named ? namedOrMaterialized : undefined;
    const materialized = namedOrMaterialized instanceof Named ? maybeMaterialized : namedOrMaterialized;
    const name = this.builder.processorName(named?.name, 'KSTREAM-TOTABLE');
    const store = materialize(materialized, {
      newStoreName: () => this.builder.newStoreName('KSTREAM-TOTABLE'),
      keySerde: this.keySerde,
      valueSerde: this.valueSerde,
    });
    const parent = this.repartitionRequired ? this.throughNullKeyFilteredRepartitionTopic(name, store.keySerde, store.valueSerde) : this.name;
    const source = new SourceTableStore(store);
    const table = new KTable<K, V>(this.builder, name, store.keySerde, store.valueSerde, source, (force) => source.enableSendingOldValues(force));
    this.builder.add((topology) => {
      topology.addProcessor(name, tableSourceProcessor<K, V>(source, () => table.sendsOldValues), parent);
      if (source.materialized) topology.addStateStore(store.builder, name);
    });
    return table;
  }

  /**
   * Joins with another stream, a table or a global table (Kafka's three `join` forms):
   * - `join(otherStream, joiner, JoinWindows, StreamJoined?)`: records of both streams with the same
   *   key within the join window; output timestamp is the later of the two;
   * - `join(table, joiner, Joined?)`: each record with the table's current value for its key;
   * - `join(globalTable, keyMapper, joiner, Named?)`: each record with the global table's value for
   *   `keyMapper(key, value)`; the mapper sees null keys too.
   * Joiners get `(value, otherValue, key)`. Records without a partner are dropped.
   */
  join<VO, VR>(other: KStream<K, VO>, joiner: ValueJoiner<V, VO, VR, K>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  join<VT, VR>(table: KTable<K, VT>, joiner: ValueJoiner<V, VT, VR, K>, joined?: Joined<K, V, VT>): KStream<K, VR>;
  join<KG, VG, VR>(table: GlobalKTable<KG, VG>, keyMapper: (key: K, value: V) => KG, joiner: ValueJoiner<V, VG, VR, K>, named?: Named): KStream<K, VR>;
  join(other: unknown, a: unknown, b?: unknown, c?: unknown): KStream<K, unknown> {
    return this.anyJoin('inner', other, a, b, c);
  }

  /** Like `join`, but a record without a partner is emitted too, with a null partner value (after its window closes, for stream-stream joins). */
  leftJoin<VO, VR>(other: KStream<K, VO>, joiner: ValueJoiner<V, VO | null, VR, K>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  leftJoin<VT, VR>(table: KTable<K, VT>, joiner: ValueJoiner<V, VT | null, VR, K>, joined?: Joined<K, V, VT>): KStream<K, VR>;
  leftJoin<KG, VG, VR>(table: GlobalKTable<KG, VG>, keyMapper: (key: K, value: V) => KG, joiner: ValueJoiner<V, VG | null, VR, K>, named?: Named): KStream<K, VR>;
  leftJoin(other: unknown, a: unknown, b?: unknown, c?: unknown): KStream<K, unknown> {
    return this.anyJoin('left', other, a, b, c);
  }

  /** Stream-stream join in which unmatched records of either side are emitted with a null partner once their window closes. */
  outerJoin<VO, VR>(other: KStream<K, VO>, joiner: ValueJoiner<V | null, VO | null, VR, K>, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR> {
    return joinStreams(this, other, joiner, windows, streamJoined, 'outer');
  }

  private anyJoin(kind: 'inner' | 'left', other: unknown, a: unknown, b: unknown, c: unknown): KStream<K, unknown> {
    if (other instanceof KStream) {
      if (!(b instanceof JoinWindows)) throw new StreamsError('INVALID_ARGUMENT', 'a stream-stream join needs JoinWindows as its third argument, e.g. JoinWindows.ofTimeDifferenceWithNoGrace(60_000)');
      return joinStreams(this, other, a as ValueJoiner<V | null, unknown, unknown, K>, b, c as StreamJoined<K, V, unknown> | undefined, kind);
    }
    if (other instanceof KTable) return joinStreamWithTable(this, other, a as ValueJoiner<V, unknown, unknown, K>, b as Joined<K, V, unknown> | undefined, kind === 'left');
    if (isGlobalKTable(other)) {
      return joinStreamWithGlobalTable(this, other, a as (key: K, value: V) => unknown, b as ValueJoiner<V, unknown, unknown, K>, c as Named | undefined, kind === 'left');
    }
    throw new StreamsError('INVALID_ARGUMENT', 'join takes a KStream (with JoinWindows), a KTable, or a GlobalKTable (with a key mapper)');
  }

  /** Groups by the current key, for an aggregation; repartitions first if the key may have changed. */
  groupByKey(grouped?: Grouped<K, V>): KGroupedStream<K, V> {
    return new KGroupedStream(this.builder, {
      parentName: this.name,
      keySerde: grouped?.keySerde ?? this.keySerde,
      valueSerde: grouped?.valueSerde ?? this.valueSerde,
      repartitionRequired: this.repartitionRequired,
      groupedName: grouped?.name,
    });
  }

  /** Groups by a new key computed from each record; always repartitions. */
  groupBy<KR>(selector: (key: K, value: V) => KR, grouped?: Grouped<KR, V>): KGroupedStream<KR, V> {
    const selected = this.selectKey(selector);
    return new KGroupedStream(this.builder, {
      parentName: selected.name,
      keySerde: grouped?.keySerde,
      valueSerde: grouped?.valueSerde ?? this.valueSerde,
      repartitionRequired: true,
      groupedName: grouped?.name,
    });
  }

  /**
   * Runs a Processor API processor on each record, with access to the named state stores (add them
   * with `StreamsBuilder.addStateStore`). The processor may change keys, so grouping repartitions.
   */
  process<KR, VR>(supplier: ProcessorSupplier<K, V, KR, VR>, ...storeNames: string[]): KStream<KR, VR>;
  process<KR, VR>(supplier: ProcessorSupplier<K, V, KR, VR>, named: Named, ...storeNames: string[]): KStream<KR, VR>;
  process<KR, VR>(supplier: ProcessorSupplier<K, V, KR, VR>, ...rest: Array<string | Named>): KStream<KR, VR> {
    const named = rest[0] instanceof Named ? rest[0] : undefined;
    const stores = rest.filter((s): s is string => typeof s === 'string');
    const name = this.builder.processorName(named?.name, 'KSTREAM-PROCESSOR');
    const parent = this.name;
    this.builder.add((topology) => {
      topology.addProcessor(name, supplier, parent);
      if (stores.length > 0) topology.connectProcessorAndStateStores(name, ...stores);
    });
    return new KStream<KR, VR>(this.builder, name, undefined, undefined, true);
  }

  /** Like `process`, for processors that change only values; the key and its partitioning stay. */
  processValues<VR>(supplier: FixedKeyProcessorSupplier<K, V, VR>, ...storeNames: string[]): KStream<K, VR>;
  processValues<VR>(supplier: FixedKeyProcessorSupplier<K, V, VR>, named: Named, ...storeNames: string[]): KStream<K, VR>;
  processValues<VR>(supplier: FixedKeyProcessorSupplier<K, V, VR>, ...rest: Array<string | Named>): KStream<K, VR> {
    const named = rest[0] instanceof Named ? rest[0] : undefined;
    const stores = rest.filter((s): s is string => typeof s === 'string');
    const name = this.builder.processorName(named?.name, 'KSTREAM-PROCESSVALUES');
    const parent = this.name;
    // A fixed-key processor is a processor whose context only forwards the record's own key.
    const asProcessor: ProcessorSupplier<K, V, K, VR> = () => (typeof supplier === 'function' ? supplier() : supplier.get());
    this.builder.add((topology) => {
      topology.addProcessor(name, asProcessor, parent);
      if (stores.length > 0) topology.connectProcessorAndStateStores(name, ...stores);
    });
    return new KStream<K, VR>(this.builder, name, this.keySerde, undefined, this.repartitionRequired);
  }

  private stateless<KR, VR>(
    prefix: string,
    named: Named | undefined,
    supplier: ProcessorSupplier<K, V, KR, VR>,
    keySerde: Serde<KR> | undefined,
    valueSerde: Serde<VR> | undefined,
    changesKey: boolean,
  ): KStream<KR, VR> {
    const name = this.builder.processorName(named?.name, prefix);
    const parent = this.name;
    this.builder.add((topology) => topology.addProcessor(name, supplier, parent));
    return new KStream(this.builder, name, keySerde, valueSerde, changesKey || this.repartitionRequired);
  }

  /**
   * @internal The stream to join: itself, or — when the key may have changed — the stream read back
   * from the repartition topic `<baseName>-repartition` (base: the given name, else this node's),
   * so each key meets its partner in the same task.
   */
  repartitionedForJoin(baseName: string | undefined, keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined): KStream<K, V> {
    if (!this.repartitionRequired) return this;
    const source = this.throughNullKeyFilteredRepartitionTopic(baseName ?? this.name, keySerde ?? this.keySerde, valueSerde ?? this.valueSerde);
    return new KStream(this.builder, source, keySerde ?? this.keySerde, valueSerde ?? this.valueSerde, false);
  }

  /**
   * Kafka's repartition before a table or a join (`createRepartitionedSource`): records with a
   * null key are dropped — unless a join that takes them is downstream (Kafka 4.x) — and the rest
   * go through `<name>-repartition`; the sink, filter and source take generated names, or names
   * from the topic when `name` was given.
   */
  private throughNullKeyFilteredRepartitionTopic(name: string, keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined): string {
    const topic = `${name}-repartition`;
    const generated = /^KSTREAM.*-\d{10}$/.test(name);
    const sinkName = this.builder.processorName(generated ? undefined : `${topic}-sink`, 'KSTREAM-SINK');
    const filterName = this.builder.processorName(generated ? undefined : `${topic}-filter`, 'KSTREAM-FILTER');
    const sourceName = this.builder.processorName(generated ? undefined : `${topic}-source`, 'KSTREAM-SOURCE');
    const parent = this.name;
    const serdes = definedSerdes(keySerde, valueSerde);
    this.builder.add((topology) => {
      topology
        .addProcessor(filterName, repartitionNullKeyFilterProcessor<K, V>(this.builder.repartitionNullKeyPolicy(sourceName)), parent)
        .addInternalTopic(topic, 'repartition')
        .addSink({ name: sinkName, topic, ...serdes }, filterName)
        .addSource({ name: sourceName, topics: [topic], ...serdes });
    });
    return sourceName;
  }

  /**
   * Adds null-key filter → sink → internal topic → source, as Kafka does; returns the source's
   * name. The filter drops null keys unless a join that takes them is downstream (Kafka 4.x).
   */
  private throughRepartitionTopic(
    name: string,
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<V> | undefined,
    partitions: number | undefined,
    partitioner: Repartitioned<K, V>['partitioner'],
  ): string {
    const topic = `${name}-repartition`;
    // The counter always advances, so later names do not depend on whether the user named things.
    const generatedNames = [this.builder.newProcessorName('KSTREAM-SINK'), this.builder.newProcessorName('KSTREAM-FILTER'), this.builder.newProcessorName('KSTREAM-SOURCE')] as const;
    const [sinkName, filterName, sourceName] = /^KSTREAM-.*-\d{10}$/.test(name) ? generatedNames : [`${topic}-sink`, `${topic}-filter`, `${topic}-source`];
    const parent = this.name;
    const serdes = definedSerdes(keySerde, valueSerde);
    const filter = repartitionNullKeyFilterProcessor<K, V>(this.builder.repartitionNullKeyPolicy(sourceName));
    this.builder.add((topology) => {
      topology
        .addProcessor(filterName, filter, parent)
        .addInternalTopic(topic, 'repartition', partitions)
        .addSink({ name: sinkName, topic, ...serdes, ...(partitioner === undefined ? {} : { partitioner }) }, filterName)
        .addSource({ name: sourceName, topics: [topic], ...serdes });
    });
    return sourceName;
  }
}

