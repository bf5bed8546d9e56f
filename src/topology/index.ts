export { Topology } from './topology.ts';
export type { SourceOptions, SinkOptions, GlobalStoreOptions } from './topology.ts';
export type {
  OffsetReset, SourceNode, ProcessorNode, SinkNode, TopologyNode, StoreRegistration, InternalTopic,
} from './nodes.ts';
