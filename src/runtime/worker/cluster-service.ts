/**
 * The main thread's side of a worker's cluster access: answers the calls of a `PortCluster` with
 * the instance's own Cluster — the embedded engine, which only the process that locked its log
 * directory may open, or the Kafka-protocol cluster whose consumer is the application's group
 * member (offsets are committed through the member). Transactional senders opened by a worker are
 * kept here under their transactional id.
 *
 * @example
 * serveCluster(new PortRpc(worker), cluster);
 */
import { EmbeddedCluster, storedBatchesPage } from '../../client/index.ts';
import type { Cluster, CommittedPosition, IsolationLevel, PartitionBatch, TopicPartitionRef, TopicSpec, TransactionalSender } from '../../client/index.ts';
import { StreamsError } from '../../common/index.ts';
import { packStored, unpackToAppend, type RecordPage } from './record-page.ts';
import type { PortRpc } from './port-rpc.ts';

/** A fetch's answer: stored batch bytes to decode, or a page of records already read. */
export type FetchReply = { readonly batches: Uint8Array } | { readonly page: RecordPage; readonly nextOffset: number };

/** Answers one worker's cluster calls; returns what closes the senders it left open. */
export function serveCluster(rpc: PortRpc, cluster: Cluster): { closeSenders(): Promise<void> } {
  const senders = new Map<string, TransactionalSender>();
  const sender = (id: string) => {
    const found = senders.get(id);
    if (found === undefined) throw new StreamsError('ILLEGAL_STATE', `no open transactional producer "${id}" for this stream thread`);
    return found;
  };
  rpc.serve({
    partitionCount: (topic: string) => cluster.partitionCount(topic),
    ensureTopics: (specs: readonly TopicSpec[]) => cluster.ensureTopics(specs),
    produce: (topic: string, page: RecordPage) => cluster.produce(topic, unpackToAppend(page)),
    appendBatches: (topic: string, batches: readonly PartitionBatch[]) => (cluster instanceof EmbeddedCluster
      ? cluster.appendProducedBatches(topic, batches)
      : cluster.produce(topic, batches.flatMap(({ partition, bytes }) => storedBatchesPage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0).records.map(({ key, value, timestamp, headers }) => ({ key, value, timestamp, headers, partition }))))),
    fetch: async (topic: string, partition: number, offset: number, maxBytes: number, isolation: IsolationLevel | undefined): Promise<FetchReply> => {
      // The engine's stored bytes as they are: the worker decodes them (read_committed filtering stays here).
      if (cluster instanceof EmbeddedCluster && isolation !== 'read_committed') return { batches: await cluster.fetchStoredBatches(topic, partition, offset, maxBytes) };
      const { records, nextOffset } = await cluster.fetch(topic, partition, offset, maxBytes, isolation);
      return { page: packStored(records), nextOffset };
    },
    offsets: (topic: string, partition: number, isolation: IsolationLevel | undefined) => cluster.offsets(topic, partition, isolation),
    deleteRecords: (topic: string, partition: number, before: number) => cluster.deleteRecords(topic, partition, before),
    commitOffsets: (group: string, positions: readonly CommittedPosition[]) => cluster.commitOffsets(group, positions),
    committedOffsets: (group: string, isolation: IsolationLevel | undefined, partitions: readonly TopicPartitionRef[] | undefined) => cluster.committedOffsets(group, isolation, partitions),
    openSender: async (transactionalId: string) => {
      senders.set(transactionalId, await cluster.transactionalSender(transactionalId));
    },
    senderProduce: (id: string, topic: string, page: RecordPage) => sender(id).produce(topic, unpackToAppend(page)),
    senderCommit: (id: string, group: string, positions: readonly CommittedPosition[]) => sender(id).commit(group, positions),
    senderAbort: (id: string) => sender(id).abort(),
    senderClose: async (id: string) => {
      const closing = sender(id);
      senders.delete(id);
      await closing.close();
    },
  });
  return {
    async closeSenders() {
      const open = [...senders.values()];
      senders.clear();
      for (const s of open) await s.close().catch(() => undefined);
    },
  };
}
