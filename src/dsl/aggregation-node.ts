import type { Serde } from '../serde/index.ts';
import type { ProcessorSupplier } from '../processor/index.ts';
import type { Topology } from '../topology/index.ts';
import type { Change } from './change.ts';
import { materialize } from './materialize.ts';
import type { KeyValueMaterialization, MaterializedStore, Materializer, ResolvedStore } from './materialize.ts';
import { nullKeyFilterProcessor } from './processors/aggregate-null-key-filter.ts';
import { ChangeSerde } from './processors/change-serde.ts';
import { tableRepartitionMapProcessor } from './processors/table-repartition-map.ts';
import type { TableGroupSelector } from './processors/table-repartition-map.ts';

/** Names from the builder's one shared counter: `PREFIX-0000000007`, `PREFIX-STATE-STORE-0000000007`. */
export interface NameProvider {
  newProcessorName(prefix: string): string;
  newStoreName(prefix: string): string;
}

/** A given name, or a generated one; a given name still takes an index, as in Kafka Streams. */
function givenOrGenerated(names: NameProvider, given: string | undefined, prefix: string): string {
  const generated = names.newProcessorName(prefix);
  return given ?? generated;
}

/** The grouped stream an aggregation reads: its last node, serdes and whether its key changed. */
export interface GroupedStreamInput<K, V> {
  readonly parentName: string;
  readonly keySerde: Serde<K> | undefined;
  readonly valueSerde: Serde<V> | undefined;
  /** True after a key-changing operation: the records must go through a repartition topic first. */
  readonly repartitionRequired: boolean;
  /** The `Grouped` name, which names the repartition topic instead of the store. */
  readonly groupedName: string | undefined;
}

/** A name the builder generated (`KSTREAM-…-0000000003`), as opposed to one the user gave. */
const GENERATED_NAME = /^KSTREAM.*-[0-9]{10}$/;

/** How one aggregation is named and stored. */
export interface AggregationSpec<K, VAgg> {
  /** Kafka's name prefix of the operation, e.g. `KSTREAM-AGGREGATE` or `KSTREAM-REDUCE`. */
  readonly prefix: string;
  /** Prefix of a generated store name; Kafka's KGroupedTable.reduce uses `KTABLE-AGGREGATE` here. */
  readonly storePrefix: string;
  /** From `Named`; otherwise generated from `prefix`. */
  readonly processorName: string | undefined;
  readonly materialized: KeyValueMaterialization<K, VAgg> | undefined;
  /** Serdes the store inherits when the `Materialized` gives none (e.g. `count`'s Long). */
  readonly keySerde: Serde<K> | undefined;
  readonly valueSerde: Serde<VAgg> | undefined;
  /** Makes the store; a key-value store unless a windowed aggregation says otherwise. */
  readonly materializer?: Materializer<K, VAgg> | undefined;
}

/**
 * The graph node of a KGroupedStream aggregation (Kafka's GroupedStreamAggregateBuilder): takes its
 * names from the shared counter at the DSL call, in Kafka's order (store, aggregate processor, then
 * the repartition sink, null-key filter and source), and writes itself into the topology at
 * `build()`. With `repartitionRequired` the grouped records first go through the internal topic
 * `<Grouped name or store name>-repartition`, so each key's records meet in one task; when that
 * name was given by the user, the repartition nodes are named `<topic>-filter`, `-sink`, `-source`.
 *
 * @example
 * const node = new StreamAggregationNode(builder, input, spec, (store) => streamAggregateProcessor(store, () => 0, (_k, _v, n) => n + 1));
 * node.writeTo(topology);
 */
export class StreamAggregationNode<K, V, VAgg> {
  readonly store: ResolvedStore<K, VAgg>;
  readonly processorName: string;
  readonly repartition: { topic: string; sinkName: string; filterName: string; sourceName: string } | undefined;
  private readonly supplier: ProcessorSupplier<K, V, unknown, unknown>;

  constructor(
    names: NameProvider,
    private readonly input: GroupedStreamInput<K, V>,
    spec: AggregationSpec<K, VAgg>,
    makeSupplier: (storeName: string) => ProcessorSupplier<K, V, unknown, unknown>,
  ) {
    this.store = (spec.materializer ?? materialize)(spec.materialized, {
      newStoreName: () => names.newStoreName(spec.storePrefix),
      keySerde: spec.keySerde,
      valueSerde: spec.valueSerde,
    });
    this.processorName = givenOrGenerated(names, spec.processorName, spec.prefix);
    if (input.repartitionRequired) {
      const prefix = input.groupedName ?? this.store.storeName;
      const topic = `${prefix}-repartition`;
      // The counter always advances, so later names do not depend on whether the user named things.
      const generated = {
        sinkName: names.newProcessorName('KSTREAM-SINK'),
        filterName: names.newProcessorName('KSTREAM-FILTER'),
        sourceName: names.newProcessorName('KSTREAM-SOURCE'),
      };
      // A user-given name (Grouped or store) also names the repartition nodes, as Kafka does.
      this.repartition = GENERATED_NAME.test(prefix)
        ? { topic, ...generated }
        : { topic, sinkName: `${topic}-sink`, filterName: `${topic}-filter`, sourceName: `${topic}-source` };
    } else {
      this.repartition = undefined;
    }
    this.supplier = makeSupplier(this.store.storeName);
  }

  /** Adds the repartition step (when needed), the aggregate processor and its store. */
  writeTo(topology: Topology): void {
    let parent = this.input.parentName;
    if (this.repartition !== undefined) {
      const { topic, sinkName, filterName, sourceName } = this.repartition;
      const serdes = definedSerdes(this.input.keySerde, this.input.valueSerde);
      topology
        .addProcessor(filterName, nullKeyFilterProcessor, parent)
        .addInternalTopic(topic, 'repartition')
        .addSink({ name: sinkName, topic, ...serdes }, filterName)
        .addSource({ name: sourceName, topics: [topic], ...serdes });
      parent = sourceName;
    }
    topology.addProcessor(this.processorName, this.supplier, parent).addStateStore(this.store.builder, this.processorName);
  }
}

/** Serdes as optional node options: an undefined serde is left out, so the config default applies. */
export function definedSerdes<K, V>(
  keySerde: Serde<K> | undefined,
  valueSerde: Serde<V> | undefined,
): { keySerde?: Serde<K>; valueSerde?: Serde<V> } {
  return { ...(keySerde === undefined ? {} : { keySerde }), ...(valueSerde === undefined ? {} : { valueSerde }) };
}

/** What `KTable.groupBy` passes to its select node. */
export interface TableGroupBySpec<K, V, KR, VR> {
  /** The table node whose changes are grouped; it must send old values. */
  readonly parentName: string;
  readonly selector: TableGroupSelector<K, V, KR, VR>;
  /** From `Grouped`; an undefined serde means the config default. */
  readonly keySerde: Serde<KR> | undefined;
  readonly valueSerde: Serde<VR> | undefined;
  /** The `Grouped` name, which names the repartition topic instead of the store. */
  readonly groupedName: string | undefined;
  /** From `Named`; otherwise `KTABLE-SELECT-<n>`. */
  readonly processorName: string | undefined;
}

/**
 * The graph node of `KTable.groupBy` (Kafka's KTableRepartitionMap node, `KTABLE-SELECT-…`): maps
 * each row change to the grouping key and value, subtraction before addition. It owns the serde of
 * the repartition topic that follows, shared with the aggregation reading it. The caller must
 * switch on old values in the table upstream (Kafka's `enableSendingOldValues`), or rows that move
 * between groups would never leave the old one.
 *
 * @example
 * const select = new TableGroupByNode(builder, { parentName: table.name, selector: (user, region) => [region, user],
 *   keySerde: Serdes.String(), valueSerde: Serdes.String(), groupedName: undefined, processorName: undefined });
 */
export class TableGroupByNode<K, V, KR, VR> {
  readonly processorName: string;
  readonly changeSerde: ChangeSerde<VR>;
  readonly keySerde: Serde<KR> | undefined;
  /** The grouped value's serde; undefined means `default.value.serde`. */
  readonly valueSerde: Serde<VR> | undefined;
  readonly groupedName: string | undefined;
  private readonly parentName: string;
  private readonly supplier: ProcessorSupplier<K, Change<V>, KR, Change<VR>>;

  constructor(names: NameProvider, spec: TableGroupBySpec<K, V, KR, VR>) {
    this.processorName = givenOrGenerated(names, spec.processorName, 'KTABLE-SELECT');
    this.changeSerde = new ChangeSerde(spec.valueSerde);
    this.keySerde = spec.keySerde;
    this.valueSerde = spec.valueSerde;
    this.groupedName = spec.groupedName;
    this.parentName = spec.parentName;
    this.supplier = tableRepartitionMapProcessor(spec.selector, this.changeSerde);
  }

  writeTo(topology: Topology): void {
    topology.addProcessor(this.processorName, this.supplier, this.parentName);
  }
}

/**
 * The graph node of a KGroupedTable aggregation (Kafka's KGroupedTableImpl): the grouped changes
 * always go through the internal topic `<Grouped name or store name>-repartition`, then into the
 * aggregate processor and its store. Names come from the shared counter in Kafka's order: store,
 * repartition sink, repartition source, aggregate processor.
 */
export class TableAggregationNode<KR, VR, VAgg> {
  readonly store: MaterializedStore<KR, VAgg>;
  readonly repartitionTopic: string;
  readonly sinkName: string;
  readonly sourceName: string;
  readonly processorName: string;
  private readonly supplier: ProcessorSupplier<KR, Change<VR>, KR, Change<VAgg>>;

  constructor(
    names: NameProvider,
    private readonly select: TableGroupByNode<unknown, unknown, KR, VR>,
    spec: AggregationSpec<KR, VAgg>,
    makeSupplier: (storeName: string, changeSerde: ChangeSerde<VR>) => ProcessorSupplier<KR, Change<VR>, KR, Change<VAgg>>,
  ) {
    this.store = materialize(spec.materialized, {
      newStoreName: () => names.newStoreName(spec.storePrefix),
      keySerde: spec.keySerde,
      valueSerde: spec.valueSerde,
    });
    // A Named aggregation also names the repartition nodes (`<name>-sink`, `<name>-source`), as Kafka does.
    const named = spec.processorName;
    this.sinkName = givenOrGenerated(names, named === undefined ? undefined : `${named}-sink`, 'KSTREAM-SINK');
    this.sourceName = givenOrGenerated(names, named === undefined ? undefined : `${named}-source`, 'KSTREAM-SOURCE');
    this.processorName = givenOrGenerated(names, named, spec.prefix);
    this.repartitionTopic = `${select.groupedName ?? this.store.storeName}-repartition`;
    this.supplier = makeSupplier(this.store.storeName, select.changeSerde);
  }

  /** Adds the repartition sink and source, the aggregate processor and its store. */
  writeTo(topology: Topology): void {
    const serdes = definedSerdes(this.select.keySerde, this.select.changeSerde);
    topology
      .addInternalTopic(this.repartitionTopic, 'repartition')
      .addSink({ name: this.sinkName, topic: this.repartitionTopic, ...serdes }, this.select.processorName)
      .addSource({ name: this.sourceName, topics: [this.repartitionTopic], ...serdes })
      .addProcessor(this.processorName, this.supplier, this.sourceName)
      .addStateStore(this.store.builder, this.processorName);
  }
}
