import { StreamsError } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type {
  ProcessorSupplier, StreamPartitioner, TimestampExtractor, TopicNameExtractor,
} from '../processor/index.ts';
import type { StoreBuilder } from '../state/index.ts';
import type {
  InternalTopic, OffsetReset, ProcessorNode, SinkNode, SourceNode, StoreRegistration, TopologyNode,
} from './nodes.ts';
import { describeTopology, type TopologyDescription } from './topology-description.ts';

/** Options of `addSource` beyond the name and topics (Kafka's `Consumed`). */
export interface SourceOptions {
  name: string;
  topics?: readonly string[];
  pattern?: RegExp;
  keySerde?: Serde<any>;
  valueSerde?: Serde<any>;
  timestampExtractor?: TimestampExtractor;
  offsetReset?: OffsetReset;
}

/** Options of `addSink` beyond the name, topic and parents (Kafka's `Produced`). */
export interface SinkOptions {
  name: string;
  topic: string | TopicNameExtractor<any, any>;
  keySerde?: Serde<any>;
  valueSerde?: Serde<any>;
  partitioner?: StreamPartitioner<any, any>;
}

/** Options of `addGlobalStore`. */
export interface GlobalStoreOptions {
  sourceName: string;
  topic: string;
  keySerde?: Serde<any>;
  valueSerde?: Serde<any>;
  timestampExtractor?: TimestampExtractor;
  processorName: string;
  stateUpdateSupplier: ProcessorSupplier<any, any, void, void>;
}

/**
 * A processing graph: sources, processors, sinks and the stores they use. Built by hand with the
 * Processor API or by `StreamsBuilder.build()`. It holds *suppliers* and *store builders*, never
 * live instances, so every task makes its own processors and stores.
 *
 * @example
 * const topology = new Topology()
 *   .addSource('source', 'input-topic')
 *   .addProcessor('proc', () => new MyProcessor(), 'source')
 *   .addSink('sink', 'output-topic', 'proc');
 */
export class Topology {
  /** Nodes in insertion order. */
  readonly nodes = new Map<string, TopologyNode>();
  readonly stores = new Map<string, StoreRegistration>();
  readonly internalTopics = new Map<string, InternalTopic>();
  /** Groups of source topics that must have the same partition count (joins), in declaration order. */
  readonly copartitionGroups: Array<readonly string[]> = [];

  /** Adds a source reading `topics`; the options form sets serdes, timestamp extractor, pattern. */
  addSource(name: string, ...topics: string[]): this;
  addSource(options: SourceOptions): this;
  addSource(nameOrOptions: string | SourceOptions, ...topics: string[]): this {
    const options: SourceOptions = typeof nameOrOptions === 'string' ? { name: nameOrOptions, topics } : nameOrOptions;
    const sourceTopics = options.topics ?? [];
    if (sourceTopics.length === 0 && options.pattern === undefined) {
      throw new StreamsError('TOPOLOGY_ERROR', `source "${options.name}" needs at least one topic or a pattern`);
    }
    if (sourceTopics.length > 0 && options.pattern !== undefined) {
      throw new StreamsError('TOPOLOGY_ERROR', `source "${options.name}" takes topics or a pattern, not both`);
    }
    this.assertNewNode(options.name);
    for (const topic of sourceTopics) {
      const owner = this.sourceOfTopic(topic);
      if (owner !== undefined) {
        throw new StreamsError('TOPOLOGY_ERROR', `topic "${topic}" is already read by source "${owner}"; a topic may feed only one source node`);
      }
    }
    const node: SourceNode = {
      kind: 'source',
      name: options.name,
      topics: [...sourceTopics],
      pattern: options.pattern,
      keySerde: options.keySerde,
      valueSerde: options.valueSerde,
      timestampExtractor: options.timestampExtractor,
      offsetReset: options.offsetReset,
      children: [],
    };
    this.nodes.set(node.name, node);
    return this;
  }

  /** Adds a processor fed by `parentNames` (sources or processors). */
  addProcessor(name: string, supplier: ProcessorSupplier<any, any, any, any>, ...parentNames: string[]): this {
    this.assertNewNode(name);
    this.assertParents(name, parentNames);
    const node: ProcessorNode = { kind: 'processor', name, supplier, parents: [...parentNames], children: [], stores: [] };
    this.nodes.set(name, node);
    this.linkChildren(name, parentNames);
    return this;
  }

  /** Adds a sink writing what `parentNames` forward to a fixed topic or a per-record one. */
  addSink(name: string, topic: string | TopicNameExtractor<any, any>, ...parentNames: string[]): this;
  addSink(options: SinkOptions, ...parentNames: string[]): this;
  addSink(nameOrOptions: string | SinkOptions, ...rest: unknown[]): this {
    let options: SinkOptions;
    let parentNames: string[];
    if (typeof nameOrOptions === 'string') {
      options = { name: nameOrOptions, topic: rest[0] as string | TopicNameExtractor<any, any> };
      parentNames = rest.slice(1) as string[];
    } else {
      options = nameOrOptions;
      parentNames = rest as string[];
    }
    this.assertNewNode(options.name);
    this.assertParents(options.name, parentNames);
    const node: SinkNode = {
      kind: 'sink',
      name: options.name,
      topic: options.topic,
      keySerde: options.keySerde,
      valueSerde: options.valueSerde,
      partitioner: options.partitioner,
      parents: [...parentNames],
    };
    this.nodes.set(node.name, node);
    this.linkChildren(node.name, parentNames);
    return this;
  }

  /** Adds a store and connects it to the given processors. */
  addStateStore(builder: StoreBuilder, ...processorNames: string[]): this {
    if (this.stores.has(builder.name)) {
      throw new StreamsError('TOPOLOGY_ERROR', `a state store named "${builder.name}" is already in the topology`);
    }
    this.stores.set(builder.name, { builder, processors: [], globalTopic: undefined });
    if (processorNames.length > 0) {
      for (const p of processorNames) this.connectProcessorAndStateStores(p, builder.name);
    }
    return this;
  }

  /** Gives a processor access to stores already added. */
  connectProcessorAndStateStores(processorName: string, ...storeNames: string[]): this {
    const node = this.nodes.get(processorName);
    if (node === undefined || node.kind !== 'processor') {
      throw new StreamsError('TOPOLOGY_ERROR', `cannot connect stores to "${processorName}": no processor by that name`);
    }
    for (const storeName of storeNames) {
      const store = this.stores.get(storeName);
      if (store === undefined) {
        throw new StreamsError('UNKNOWN_STATE_STORE', `cannot connect store "${storeName}" to "${processorName}": add it with addStateStore first`);
      }
      if (store.globalTopic !== undefined) {
        throw new StreamsError('TOPOLOGY_ERROR', `store "${storeName}" is global; every processor reads it without connecting it`);
      }
      if (!node.stores.includes(storeName)) node.stores.push(storeName);
      if (!store.processors.includes(processorName)) store.processors.push(processorName);
    }
    return this;
  }

  /**
   * Adds a global store: every instance reads all partitions of `topic` into it through
   * `stateUpdateSupplier`, before processing starts. Logging must be off: the topic is the changelog.
   */
  addGlobalStore(builder: StoreBuilder, options: GlobalStoreOptions): this {
    if (builder.loggingEnabled) {
      throw new StreamsError('TOPOLOGY_ERROR', `global store "${builder.name}" must have logging disabled: its source topic "${options.topic}" already is its changelog`);
    }
    if (this.stores.has(builder.name)) {
      throw new StreamsError('TOPOLOGY_ERROR', `a state store named "${builder.name}" is already in the topology`);
    }
    this.addSource({
      name: options.sourceName,
      topics: [options.topic],
      ...(options.keySerde === undefined ? {} : { keySerde: options.keySerde }),
      ...(options.valueSerde === undefined ? {} : { valueSerde: options.valueSerde }),
      ...(options.timestampExtractor === undefined ? {} : { timestampExtractor: options.timestampExtractor }),
    });
    this.addProcessor(options.processorName, options.stateUpdateSupplier, options.sourceName);
    const processor = this.nodes.get(options.processorName) as ProcessorNode;
    processor.stores.push(builder.name);
    this.stores.set(builder.name, { builder, processors: [options.processorName], globalTopic: options.topic });
    return this;
  }

  /**
   * Declares a topic the application creates and owns (a repartition topic), named
   * `<application.id>-<name>` at run time. Used by the DSL; harmless to call twice.
   */
  addInternalTopic(name: string, kind: InternalTopic['kind'], partitions?: number): this {
    this.internalTopics.set(name, { name, kind, partitions });
    return this;
  }

  /** Requires the given source topics to have equal partition counts (Kafka's co-partitioning). */
  copartitionSources(topics: readonly string[]): this {
    this.copartitionGroups.push([...topics]);
    return this;
  }

  /** The source node reading `topic`, if any. */
  sourceOfTopic(topic: string): string | undefined {
    for (const node of this.nodes.values()) {
      if (node.kind === 'source' && node.topics.includes(topic)) return node.name;
    }
    return undefined;
  }

  /**
   * The topology's sub-topologies, numbered and ordered as Kafka Streams does; `toString()` is
   * Kafka's exact text and `toMermaid()` a flowchart.
   *
   * @example
   * console.log(topology.describe().toString());
   */
  describe(): TopologyDescription {
    return describeTopology(this);
  }

  private assertNewNode(name: string): void {
    if (name.length === 0) throw new StreamsError('TOPOLOGY_ERROR', 'node names must not be empty');
    if (this.nodes.has(name)) {
      throw new StreamsError('TOPOLOGY_ERROR', `a node named "${name}" is already in the topology; names must be unique`);
    }
  }

  private assertParents(name: string, parentNames: readonly string[]): void {
    if (parentNames.length === 0) {
      throw new StreamsError('TOPOLOGY_ERROR', `"${name}" needs at least one parent node`);
    }
    for (const parent of parentNames) {
      if (parent === name) throw new StreamsError('TOPOLOGY_ERROR', `"${name}" cannot be its own parent`);
      const node = this.nodes.get(parent);
      if (node === undefined) {
        throw new StreamsError('TOPOLOGY_ERROR', `"${name}" names parent "${parent}", which is not in the topology; add parents first`);
      }
      if (node.kind === 'sink') throw new StreamsError('TOPOLOGY_ERROR', `"${name}" cannot have sink "${parent}" as its parent`);
    }
  }

  private linkChildren(child: string, parentNames: readonly string[]): void {
    for (const parent of parentNames) {
      const node = this.nodes.get(parent);
      if (node !== undefined && node.kind !== 'sink') node.children.push(child);
    }
  }
}
