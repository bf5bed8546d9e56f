import { apis } from '../../protocol/index.ts';
import { handleApiVersions } from './api-versions.ts';
import { handleCreateTopics } from './create-topics.ts';
import { handleDeleteRecords } from './delete-records.ts';
import { handleDeleteTopics } from './delete-topics.ts';
import { handleDescribeConfigs } from './describe-configs.ts';
import { handleDescribeGroups } from './describe-groups.ts';
import { handleFetch } from './fetch.ts';
import { handleFindCoordinator } from './find-coordinator.ts';
import type { ApiHandler } from './handler.ts';
import { handleHeartbeat } from './heartbeat.ts';
import { handleInitProducerId } from './init-producer-id.ts';
import { handleJoinGroup } from './join-group.ts';
import { handleLeaveGroup } from './leave-group.ts';
import { handleListGroups } from './list-groups.ts';
import { handleListOffsets } from './list-offsets.ts';
import { handleMetadata } from './metadata.ts';
import { handleOffsetCommit } from './offset-commit.ts';
import { handleOffsetFetch } from './offset-fetch.ts';
import { handleProduce } from './produce.ts';
import { handleSaslAuthenticate } from './sasl-authenticate.ts';
import { handleSaslHandshake } from './sasl-handshake.ts';
import { handleSyncGroup } from './sync-group.ts';

/** The handler of every served API, by API key. */
export const HANDLERS: ReadonlyMap<number, ApiHandler> = new Map<number, ApiHandler>([
  [apis.apiVersions.apiKey, handleApiVersions],
  [apis.metadata.apiKey, handleMetadata],
  [apis.createTopics.apiKey, handleCreateTopics],
  [apis.deleteTopics.apiKey, handleDeleteTopics],
  [apis.produce.apiKey, handleProduce],
  [apis.fetch.apiKey, handleFetch],
  [apis.listOffsets.apiKey, handleListOffsets],
  [apis.findCoordinator.apiKey, handleFindCoordinator],
  [apis.joinGroup.apiKey, handleJoinGroup],
  [apis.syncGroup.apiKey, handleSyncGroup],
  [apis.heartbeat.apiKey, handleHeartbeat],
  [apis.leaveGroup.apiKey, handleLeaveGroup],
  [apis.offsetCommit.apiKey, handleOffsetCommit],
  [apis.offsetFetch.apiKey, handleOffsetFetch],
  [apis.describeGroups.apiKey, handleDescribeGroups],
  [apis.listGroups.apiKey, handleListGroups],
  [apis.initProducerId.apiKey, handleInitProducerId],
  [apis.describeConfigs.apiKey, handleDescribeConfigs],
  [apis.deleteRecords.apiKey, handleDeleteRecords],
  [apis.saslHandshake.apiKey, handleSaslHandshake],
  [apis.saslAuthenticate.apiKey, handleSaslAuthenticate],
]);
export { servedVersions } from './api-versions.ts';
export type { ApiHandler, RequestSource } from './handler.ts';
