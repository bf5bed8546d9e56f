/**
 * Interactive queries: reading a running application's state stores from outside the topology.
 *
 * Two questions, as in Kafka Streams:
 * - **What does this instance hold?** `streams.store(StoreQueryParameters.fromNameAndType(name,
 *   QueryableStoreTypes.keyValueStore()))` returns a read-only view over the store of that name in
 *   every local task (`CompositeReadOnlyKeyValueStore`, and the window and session equivalents).
 *   The view looks the tasks up on each call, so it follows them across rebalances; while they
 *   cannot be read (not RUNNING, rebalancing, restoring, moved away) a call throws a StreamsError
 *   `INVALID_STATE_STORE` — retry after a short wait.
 * - **Which instance holds a key?** With `application.server: 'host:port'` set, instances tell
 *   each other their address through the group; `streams.queryMetadataForKey(store, key, serde)`
 *   answers with the active and standby hosts and the partition (`StreamsMetadataState`), and
 *   `streamsMetadataForStore` / `metadataForAllStreamsClients` list what every instance holds.
 *   Transporting the query to that host is the application's job (or the HTTP endpoint's).
 *
 * @example
 * const counts = streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>()));
 * const where = streams.queryMetadataForKey('counts', 'alice', Serdes.String());
 * const local = where.activeHost.port === myPort ? counts.get('alice') : await askOverHttp(where.activeHost, 'alice');
 */
export type { HostInfo } from './host-info.ts';
export { UNAVAILABLE_HOST, parseHostInfo, formatHostInfo, sameHost } from './host-info.ts';
export type { StreamsMetadata, KeyQueryMetadata, TopicPartition } from './streams-metadata.ts';
export { KEY_QUERY_METADATA_NOT_AVAILABLE } from './streams-metadata.ts';
export { StreamsMetadataState } from './streams-metadata-state.ts';
export type { QueryableTopology, InstanceTasks, KeySerializer } from './streams-metadata-state.ts';
export type { QueryableStoreType } from './queryable-store-types.ts';
export { QueryableStoreTypes } from './queryable-store-types.ts';
export { StoreQueryParameters } from './store-query-parameters.ts';
export type { StoreLookup } from './store-lookup.ts';
export { CompositeReadOnlyKeyValueStore } from './composite-key-value-store.ts';
export { CompositeReadOnlyWindowStore } from './composite-window-store.ts';
export { CompositeReadOnlySessionStore } from './composite-session-store.ts';
export { storeKindType } from './store-kind.ts';
export { RemoteStore, revivedBytes } from './remote-store.ts';
export type { RemoteStoreKind, RemoteRead, RemoteReadResult } from './remote-store.ts';
export type { StoreKind } from './store-kind.ts';
