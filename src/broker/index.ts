export { KafkaBroker } from './kafka-broker.ts';
export type { KafkaBrokerOptions } from './kafka-broker.ts';
export { GroupCoordinator } from './group-coordinator.ts';
export type { GroupCoordinatorOptions, JoinRequest } from './group-coordinator.ts';
