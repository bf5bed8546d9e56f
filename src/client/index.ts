export type { Cluster, ClusterRecord, TopicSpec, CommittedPosition } from './cluster.ts';
export { EmbeddedCluster } from './embedded-cluster.ts';
export { KafkaCluster } from './kafka-cluster.ts';
export { hasGroupMembership } from './group-membership.ts';
export type { GroupAssignor, GroupMemberInfo, GroupMembership, TopicPartitions } from './group-membership.ts';
export type { LogEngine } from '../log/index.ts';
export type { ClientOptions, ClientSettings } from './client-settings.ts';
export { NO_CLIENT_SETTINGS } from './client-settings.ts';
