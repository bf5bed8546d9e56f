export { Topology } from './topology.ts';
export type { SourceOptions, SinkOptions, GlobalStoreOptions } from './topology.ts';
export type {
  OffsetReset, SourceNode, ProcessorNode, SinkNode, TopologyNode, StoreRegistration, InternalTopic,
} from './nodes.ts';
export { TopologyDescription } from './topology-description.ts';
export type { NodeDescription, SubtopologyDescription, GlobalStoreDescription } from './topology-description.ts';
export { makeNodeGroups } from './node-groups.ts';
