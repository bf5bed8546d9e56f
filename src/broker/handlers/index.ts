import { apis } from '../../protocol/index.ts';
import { handleAddOffsetsToTxn } from './add-offsets-to-txn.ts';
import { handleAddPartitionsToTxn } from './add-partitions-to-txn.ts';
import { handleApiVersions } from './api-versions.ts';
import { handleCreateTopics } from './create-topics.ts';
import { handleDeleteRecords } from './delete-records.ts';
import { handleDeleteTopics } from './delete-topics.ts';
import { handleDescribeConfigs } from './describe-configs.ts';
import { handleDescribeGroups } from './describe-groups.ts';
import { handleDescribeTransactions } from './describe-transactions.ts';
import { handleEndTxn } from './end-txn.ts';
import { handleFetch } from './fetch.ts';
import { handleFindCoordinator } from './find-coordinator.ts';
import type { ApiHandler } from './handler.ts';
import { handleHeartbeat } from './heartbeat.ts';
import { handleInitProducerId } from './init-producer-id.ts';
import { handleJoinGroup } from './join-group.ts';
import { handleLeaveGroup } from './leave-group.ts';
import { handleListGroups } from './list-groups.ts';
import { handleListOffsets } from './list-offsets.ts';
import { handleListTransactions } from './list-transactions.ts';
import { handleMetadata } from './metadata.ts';
import { handleOffsetCommit } from './offset-commit.ts';
import { handleOffsetFetch } from './offset-fetch.ts';
import { handleProduce } from './produce.ts';
import { handleSyncGroup } from './sync-group.ts';
import { handleTxnOffsetCommit } from './txn-offset-commit.ts';

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
  [apis.addPartitionsToTxn.apiKey, handleAddPartitionsToTxn],
  [apis.addOffsetsToTxn.apiKey, handleAddOffsetsToTxn],
  [apis.endTxn.apiKey, handleEndTxn],
  [apis.txnOffsetCommit.apiKey, handleTxnOffsetCommit],
  [apis.describeTransactions.apiKey, handleDescribeTransactions],
  [apis.listTransactions.apiKey, handleListTransactions],
]);
export { servedVersions } from './api-versions.ts';
export type { ApiHandler, RequestSource } from './handler.ts';
