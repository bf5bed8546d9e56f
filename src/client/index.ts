export type { Cluster, ClusterRecord, TopicSpec, CommittedPosition, TopicPartitionRef, FetchedPage, IsolationLevel, TransactionalSender } from './cluster.ts';
export { EmbeddedCluster } from './embedded-cluster.ts';
export { storedBatchesPage } from './stored-batches-page.ts';
export { producedBatches } from './produced-batches.ts';
export type { PartitionBatch } from './produced-batches.ts';
export { KafkaCluster } from './kafka-cluster.ts';
export { RefusedRecordsError } from './refused-records-error.ts';
/** @internal Reading the Kafka client's nested errors (the command line's network target uses it too). */
export { clientErrorHas, findInClientError } from './client-errors.ts';
/** @internal For the command line: not in the package's declarations, which must not need the optional Kafka client's types. */
export { loadKafkaClient } from './kafka-client-module.ts';
/** @internal */
export type { KafkaClientModule } from './kafka-client-module.ts';
export { hasGroupMembership } from './group-membership.ts';
export type { GroupAssignor, GroupMemberInfo, GroupMembership, GroupSnapshot, TopicPartitions } from './group-membership.ts';
export type { LogEngine } from '../log/index.ts';
export type { ClientOptions, ClientSettings } from './client-settings.ts';
export { NO_CLIENT_SETTINGS } from './client-settings.ts';
export type { ClientSecurity, SaslCredentials } from './client-settings.ts';
export { securityOf, isSecurityKey, securityFailureOf, OAUTHBEARER_TOKEN_KEY } from './security/index.ts';
/** @internal The Kafka client's connection options for a security setting. */
export { connectionSecurityOf } from './security/connection-options.ts';
/** @internal A Fetch answer's records as Kafka's consumer reads them (markers and aborted transactions left out). */
export { fetchedPage } from './kafka-fetched-batches.ts';
