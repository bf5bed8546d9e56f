import { StreamsError } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type { StoreBuilder } from '../state/index.ts';
import type { Topology } from '../topology/index.ts';
import { definedSerdes } from './aggregation-node.ts';
import type { Consumed } from './consumed.ts';
import { InternalStreamsBuilder } from './internal-streams-builder.ts';
import { KStream } from './kstream.ts';
import { KTable } from './ktable.ts';
import { materialize } from './materialize.ts';
import { SourceTableStore } from './source-table-store.ts';
import type { Materialized } from './materialized.ts';
import { globalTableSourceProcessor, tableSourceProcessor } from './processors/table-source.ts';

/**
 * The entry point of the DSL (Kafka Streams' StreamsBuilder): read topics as streams or tables,
 * chain operations on them, then `build()` the Topology to run or test.
 *
 * @example
 * const builder = new StreamsBuilder();
 * builder.stream<string, string>('lines', Consumed.with(Serdes.String(), Serdes.String()))
 *   .flatMapValues((line) => line.toLowerCase().split(/\W+/))
 *   .groupBy((_key, word) => word, Grouped.with(Serdes.String(), Serdes.String()))
 *   .count()
 *   .toStream()
 *   .to('counts', Produced.with(Serdes.String(), Serdes.Long()));
 * const topology = builder.build();
 */
export class StreamsBuilder {
  private readonly internal = new InternalStreamsBuilder();

  /** A stream of the records of one topic, several topics, or every topic matching a pattern. */
  stream<K, V>(topics: string | readonly string[] | RegExp, consumed?: Consumed<K, V>): KStream<K, V> {
    this.checkNotBuilt();
    const name = this.internal.processorName(consumed?.processorName, 'KSTREAM-SOURCE');
    const options = {
      name,
      ...(topics instanceof RegExp ? { pattern: topics } : { topics: typeof topics === 'string' ? [topics] : [...topics] }),
      ...definedSerdes(consumed?.keySerde, consumed?.valueSerde),
      ...(consumed?.timestampExtractor === undefined ? {} : { timestampExtractor: consumed.timestampExtractor }),
      ...(consumed?.offsetReset === undefined ? {} : { offsetReset: consumed.offsetReset }),
    };
    this.internal.add((topology) => topology.addSource(options));
    return new KStream<K, V>(this.internal, name, consumed?.keySerde, consumed?.valueSerde, false);
  }

  /**
   * A table over a topic: each record is the latest value of its key, a null value deletes it. The
   * table is kept in a store named by `Materialized`; without a name, as in Kafka Streams, it has a
   * store (`<topic>-STATE-STORE-<n>`, with its changelog) only when a later operation reads its rows
   * (a join) or needs old values (`groupBy`, `suppress`).
   */
  table<K, V>(topic: string, consumed?: Consumed<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    this.checkNotBuilt();
    const store = materialize(materialized, {
      newStoreName: () => this.internal.newStoreName(topic),
      keySerde: consumed?.keySerde,
      valueSerde: consumed?.valueSerde,
    });
    const source = new SourceTableStore(store);
    // A named Consumed names the table's node; its source node takes the name plus `-source`.
    const givenName = consumed?.processorName;
    const sourceName = this.internal.processorName(givenName === undefined ? undefined : `${givenName}-source`, 'KSTREAM-SOURCE');
    const tableName = this.internal.processorName(givenName, 'KTABLE-SOURCE');
    const table = new KTable<K, V>(this.internal, tableName, store.keySerde, store.valueSerde, source, (force) => source.enableSendingOldValues(force));
    const sourceOptions = {
      name: sourceName,
      topics: [topic],
      ...definedSerdes(consumed?.keySerde, consumed?.valueSerde),
      ...(consumed?.timestampExtractor === undefined ? {} : { timestampExtractor: consumed.timestampExtractor }),
      ...(consumed?.offsetReset === undefined ? {} : { offsetReset: consumed.offsetReset }),
    };
    this.internal.add((topology) => {
      topology
        .addSource(sourceOptions)
        .addProcessor(tableName, tableSourceProcessor<K, V>(source, () => table.sendsOldValues), sourceName);
      if (source.materialized) topology.addStateStore(store.builder, tableName);
    });
    return table;
  }

  /**
   * A table over every partition of a topic, in every instance (Kafka's GlobalKTable), for lookups
   * by joins. Its store has no changelog: the topic itself is the changelog.
   */
  globalTable<K, V>(topic: string, consumed?: Consumed<K, V>, materialized?: Materialized<K, V>): GlobalKTable<K, V> {
    this.checkNotBuilt();
    const store = materialize(materialized?.withLoggingDisabled(), {
      newStoreName: () => this.internal.newStoreName(topic),
      keySerde: consumed?.keySerde,
      valueSerde: consumed?.valueSerde,
    });
    store.builder.withLoggingDisabled();
    const givenName = consumed?.processorName;
    const sourceName = this.internal.processorName(givenName === undefined ? undefined : `${givenName}-source`, 'KSTREAM-SOURCE');
    const processorName = this.internal.processorName(givenName, 'KTABLE-SOURCE');
    this.internal.add((topology) =>
      topology.addGlobalStore(store.builder, {
        sourceName,
        topic,
        ...definedSerdes(consumed?.keySerde, consumed?.valueSerde),
        ...(consumed?.timestampExtractor === undefined ? {} : { timestampExtractor: consumed.timestampExtractor }),
        processorName,
        stateUpdateSupplier: globalTableSourceProcessor<K, V>(store.storeName),
      }),
    );
    return { kind: 'global-ktable', storeName: store.storeName, keySerde: store.keySerde, valueSerde: store.valueSerde };
  }

  /** Adds a store for Processor API steps (`KStream.process(supplier, storeName)`). */
  addStateStore(builder: StoreBuilder): this {
    this.checkNotBuilt();
    this.internal.add((topology) => topology.addStateStore(builder));
    return this;
  }

  /** The Topology of everything added so far. A builder builds once. */
  build(): Topology {
    this.checkNotBuilt();
    return this.internal.build();
  }

  private checkNotBuilt(): void {
    if (this.internal.isBuilt) {
      throw new StreamsError('TOPOLOGY_ERROR', 'this StreamsBuilder was already built; create a new StreamsBuilder for another topology');
    }
  }
}

/** A global table: the store every instance keeps of a whole topic, for `KStream.join(globalTable, keyMapper, joiner)`. */
export interface GlobalKTable<K, V> {
  readonly kind: 'global-ktable';
  readonly storeName: string;
  readonly keySerde: Serde<K> | undefined;
  readonly valueSerde: Serde<V> | undefined;
}

/** True for what `StreamsBuilder.globalTable` returns. */
export function isGlobalKTable(candidate: unknown): candidate is GlobalKTable<unknown, unknown> {
  return typeof candidate === 'object' && candidate !== null && (candidate as { kind?: unknown }).kind === 'global-ktable';
}
