export { KafkaBroker } from './kafka-broker.ts';
export type { BrokerTlsOptions, KafkaBrokerOptions } from './kafka-broker.ts';
export { SASL_MECHANISMS, addUser, readUsersFile } from './security/index.ts';
export type { BrokerUsers, SaslMechanism, SaslServerConfig } from './security/index.ts';
export { GroupCoordinator } from './group-coordinator.ts';
export type { GroupCoordinatorOptions, JoinRequest } from './group-coordinator.ts';
