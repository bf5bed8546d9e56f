/**
 * The Cluster a stream thread in a worker runs on: every call goes to the main thread (see
 * `serveCluster`) as one message — a page of records per fetch, a batch per produce, the positions
 * of a commit — so the engine stays with the process that owns its log directory, and offsets are
 * committed by the instance that is the group member.
 *
 * @example
 * const cluster = new PortCluster(new PortRpc(parentPort!), '--data-dir ./log');
 * const page = await cluster.fetch('orders', 0, 0, 1 << 20);
 */
import type { Cluster, ClusterRecord, CommittedPosition, FetchedPage, IsolationLevel, TopicPartitionRef, TopicSpec, TransactionalSender } from '../../client/index.ts';
import { producedBatches, storedBatchesPage } from '../../client/index.ts';
import { packToAppend, unpackStored } from './record-page.ts';
import type { FetchReply } from './cluster-service.ts';
import type { PortRpc } from './port-rpc.ts';

export class PortCluster implements Cluster {
  constructor(private readonly rpc: PortRpc, readonly commandLineTarget: string) {}

  partitionCount(topic: string): Promise<number | undefined> {
    return this.rpc.call('partitionCount', [topic]);
  }

  ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    return this.rpc.call('ensureTopics', [specs]);
  }

  /** Encoded here, one record batch per partition, for the engine to append as they are; records without a partition go packed, for the engine to place. */
  produce(topic: string, records: readonly ClusterRecord[]): Promise<void> {
    const batches = producedBatches(records);
    return batches === undefined ? this.rpc.call('produce', [topic, packToAppend(records)]) : this.rpc.call('appendBatches', [topic, batches]);
  }

  async fetch(topic: string, partition: number, offset: number, maxBytes: number, isolationLevel?: IsolationLevel): Promise<FetchedPage> {
    for (let from = offset; ;) {
      const reply = await this.rpc.call<FetchReply>('fetch', [topic, partition, from, maxBytes, isolationLevel]);
      if ('page' in reply) return { records: unpackStored(reply.page), nextOffset: reply.nextOffset };
      const page = storedBatchesPage(Buffer.from(reply.batches.buffer, reply.batches.byteOffset, reply.batches.byteLength), from);
      // Records are empty only at the end, as the engine's own reads: batches of markers alone are read past.
      if (page.records.length > 0 || page.nextOffset === from) return page;
      from = page.nextOffset;
    }
  }

  offsets(topic: string, partition: number, isolationLevel?: IsolationLevel): Promise<{ earliest: number; latest: number }> {
    return this.rpc.call('offsets', [topic, partition, isolationLevel]);
  }

  async transactionalSender(transactionalId: string): Promise<TransactionalSender> {
    await this.rpc.call('openSender', [transactionalId]);
    const rpc = this.rpc;
    return {
      transactionalId,
      produce: (topic, records) => rpc.call('senderProduce', [transactionalId, topic, packToAppend(records)]),
      commit: (group, positions) => rpc.call('senderCommit', [transactionalId, group, positions]),
      abort: () => rpc.call('senderAbort', [transactionalId]),
      close: () => rpc.call('senderClose', [transactionalId]),
    };
  }

  deleteRecords(topic: string, partition: number, beforeOffset: number): Promise<void> {
    return this.rpc.call('deleteRecords', [topic, partition, beforeOffset]);
  }

  commitOffsets(group: string, positions: readonly CommittedPosition[]): Promise<void> {
    return this.rpc.call('commitOffsets', [group, positions]);
  }

  committedOffsets(group: string, isolationLevel?: IsolationLevel, partitions?: readonly TopicPartitionRef[]): Promise<CommittedPosition[]> {
    return this.rpc.call('committedOffsets', [group, isolationLevel, partitions]);
  }

  /** The main thread owns the connection (or the engine); a worker has nothing to close. */
  async close(): Promise<void> {}
}
