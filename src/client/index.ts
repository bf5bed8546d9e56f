export type { Cluster, ClusterRecord, TopicSpec, CommittedPosition } from './cluster.ts';
export { EmbeddedCluster } from './embedded-cluster.ts';
export type { LogEngine } from '../log/index.ts';
