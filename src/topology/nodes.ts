import type { Serde } from '../serde/index.ts';
import type {
  ProcessorSupplier, StreamPartitioner, TimestampExtractor, TopicNameExtractor,
} from '../processor/index.ts';
import type { StoreBuilder } from '../state/index.ts';

/** Where a source starts reading when its group has no committed offset. */
export type OffsetReset = 'earliest' | 'latest';

/** A node that reads records from one or more topics (or topics matching a pattern). */
export interface SourceNode {
  readonly kind: 'source';
  readonly name: string;
  readonly topics: readonly string[];
  readonly pattern: RegExp | undefined;
  readonly keySerde: Serde<unknown> | undefined;
  readonly valueSerde: Serde<unknown> | undefined;
  readonly timestampExtractor: TimestampExtractor | undefined;
  readonly offsetReset: OffsetReset | undefined;
  readonly children: string[];
}

/** A node that runs a processor made by `supplier`, once per task. */
export interface ProcessorNode {
  readonly kind: 'processor';
  readonly name: string;
  readonly supplier: ProcessorSupplier<any, any, any, any>;
  readonly parents: readonly string[];
  readonly children: string[];
  readonly stores: string[];
}

/** A node that writes records to a topic, fixed or chosen per record. */
export interface SinkNode {
  readonly kind: 'sink';
  readonly name: string;
  readonly topic: string | TopicNameExtractor<any, any>;
  readonly keySerde: Serde<unknown> | undefined;
  readonly valueSerde: Serde<unknown> | undefined;
  readonly partitioner: StreamPartitioner<any, any> | undefined;
  readonly parents: readonly string[];
}

export type TopologyNode = SourceNode | ProcessorNode | SinkNode;

/** A store the topology owns: each task builds its own instance from `builder`. */
export interface StoreRegistration {
  readonly builder: StoreBuilder;
  /** Processors connected to the store, in connection order. */
  readonly processors: string[];
  /** For a global store: its source topic (read on every partition by every instance). */
  readonly globalTopic: string | undefined;
}

/**
 * A topic the topology creates and owns. Its real name is `<application.id>-<name>`; `describe()`
 * prints the unprefixed name, as Kafka Streams does.
 */
export interface InternalTopic {
  readonly name: string;
  readonly kind: 'repartition' | 'changelog';
  /** Fixed partition count (`Repartitioned.withNumberOfPartitions`), else that of the upstream sources. */
  readonly partitions: number | undefined;
}
