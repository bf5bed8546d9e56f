import type { Consumer } from '@platformatic/kafka';
import { BatchAttributes } from '../record/index.ts';
import type { StoredRecord } from '../record/index.ts';
import type { FetchedPage, IsolationLevel } from './cluster.ts';

/** The control record type of an abort marker (its key: version int16, type int16). */
const ABORT_MARKER = 0;

type PartitionResponse = Awaited<ReturnType<Consumer['fetch']>>['responses'][number]['partitions'][number];

/**
 * The records of one partition's Fetch answer from `offset` on, as Kafka's consumer reads them:
 * never transaction markers, and under read_committed never a batch of an aborted transaction. A
 * transaction is aborted from the first offset the answer lists for it up to its producer's abort
 * marker, which need not be in the same answer (the client's own filter keeps such batches, so it
 * is not relied on). `nextOffset` moves past the last batch, markers and aborted batches included,
 * so a reader never parks on a marker.
 */
export function fetchedPage(partitionResponse: PartitionResponse, offset: number, isolationLevel: IsolationLevel | undefined): FetchedPage {
  const aborted = isolationLevel === 'read_uncommitted'
    ? []
    : [...partitionResponse.abortedTransactions].sort((a, b) => Number(a.firstOffset - b.firstOffset));
  // Producers whose aborted transaction has begun at the current batch and not yet met its marker.
  const abortedProducers = new Set<bigint>();
  const records: StoredRecord[] = [];
  let nextOffset = offset;
  for (const batch of partitionResponse.records ?? []) {
    nextOffset = Math.max(nextOffset, Number(batch.firstOffset) + batch.lastOffsetDelta + 1);
    while (aborted.length > 0 && aborted[0]!.firstOffset <= batch.firstOffset + BigInt(batch.lastOffsetDelta)) abortedProducers.add(aborted.shift()!.producerId);
    if ((batch.attributes & BatchAttributes.CONTROL) !== 0) {
      const marker = batch.records[0]?.key;
      if (marker !== undefined && marker !== null && marker.length >= 4 && marker.readInt16BE(2) === ABORT_MARKER) abortedProducers.delete(batch.producerId);
      continue;
    }
    if ((batch.attributes & BatchAttributes.TRANSACTIONAL) !== 0 && abortedProducers.has(batch.producerId)) continue;
    for (const record of batch.records) {
      const recordOffset = Number(batch.firstOffset) + record.offsetDelta;
      if (recordOffset < offset) continue;
      records.push({
        offset: recordOffset, key: record.key ?? null, value: record.value ?? null,
        timestamp: Number((batch.attributes & BatchAttributes.TIMESTAMP_TYPE_LOG_APPEND) !== 0 ? batch.maxTimestamp : batch.firstTimestamp + record.timestampDelta),
        headers: record.headers.map(([key, value]) => ({ key: key === null ? '' : key.toString(), value })),
      });
    }
  }
  return { records, nextOffset };
}
