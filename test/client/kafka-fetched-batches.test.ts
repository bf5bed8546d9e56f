import { describe, expect, it } from 'vitest';
import { fetchedPage } from '../../src/client/kafka-fetched-batches.ts';
import { BatchAttributes } from '../../src/record/index.ts';

type PartitionResponse = Parameters<typeof fetchedPage>[0];

/** A batch of one record per value, as @platformatic/kafka decodes a Fetch answer. */
function batch(firstOffset: number, producerId: number, values: string[], attributes: number = BatchAttributes.TRANSACTIONAL) {
  return {
    firstOffset: BigInt(firstOffset), lastOffsetDelta: values.length - 1, producerId: BigInt(producerId), attributes,
    firstTimestamp: 1000n, maxTimestamp: 1000n,
    records: values.map((value, i) => ({ offsetDelta: i, timestampDelta: 0n, key: Buffer.from('k'), value: Buffer.from(value), headers: [] })),
  };
}

/** A COMMIT (1) or ABORT (0) marker of `producerId` at `offset`. */
function marker(offset: number, producerId: number, type: 0 | 1) {
  const key = Buffer.alloc(4);
  key.writeInt16BE(type, 2);
  const control = batch(offset, producerId, ['marker'], BatchAttributes.TRANSACTIONAL | BatchAttributes.CONTROL);
  return { ...control, records: [{ ...control.records[0]!, key }] };
}

function answer(batches: unknown[], abortedTransactions: Array<{ producerId: number; firstOffset: number }>): PartitionResponse {
  return {
    records: batches, abortedTransactions: abortedTransactions.map((a) => ({ producerId: BigInt(a.producerId), firstOffset: BigInt(a.firstOffset) })),
  } as unknown as PartitionResponse;
}

const values = (page: ReturnType<typeof fetchedPage>) => page.records.map((r) => r.value!.toString());

describe('reading a Kafka Fetch answer', () => {
  const response = answer([
    batch(0, 1, ['a', 'b']), marker(2, 1, 1),
    batch(3, 2, ['aborted-1']), batch(4, 3, ['c']), batch(5, 2, ['aborted-2']),
  ], [{ producerId: 2, firstOffset: 3 }]);

  it('read_committed leaves out markers and an aborted transaction\'s batches, even when its abort marker is beyond the answer', () => {
    const page = fetchedPage(response, 0, 'read_committed');
    expect(values(page)).toEqual(['a', 'b', 'c']);
    expect(page.nextOffset).toBe(6);
  });

  it('read_uncommitted keeps the aborted records but never returns a marker as a record', () => {
    expect(values(fetchedPage(response, 0, 'read_uncommitted'))).toEqual(['a', 'b', 'aborted-1', 'c', 'aborted-2']);
  });

  it('a producer\'s batches after its abort marker count again', () => {
    const page = fetchedPage(answer([batch(0, 2, ['x']), marker(1, 2, 0), batch(2, 2, ['y']), marker(3, 2, 1)], [{ producerId: 2, firstOffset: 0 }]), 0, 'read_committed');
    expect(values(page)).toEqual(['y']);
    expect(page.nextOffset).toBe(4);
  });

  it('moves past a page of nothing but a marker, and skips records before the offset asked for', () => {
    expect(fetchedPage(answer([marker(7, 1, 1)], []), 7, 'read_committed')).toEqual({ records: [], nextOffset: 8 });
    expect(values(fetchedPage(answer([batch(0, 1, ['a', 'b', 'c'])], []), 1, 'read_committed'))).toEqual(['b', 'c']);
  });
});
