export type { Cluster, ClusterRecord, TopicSpec, CommittedPosition } from './cluster.ts';
export { EmbeddedCluster } from './embedded-cluster.ts';
export { KafkaCluster } from './kafka-cluster.ts';
export { loadKafkaClient } from './kafka-client-module.ts';
export type { KafkaClientModule } from './kafka-client-module.ts';
export { hasGroupMembership } from './group-membership.ts';
export type { GroupAssignor, GroupMemberInfo, GroupMembership, TopicPartitions } from './group-membership.ts';
export type { LogEngine } from '../log/index.ts';
