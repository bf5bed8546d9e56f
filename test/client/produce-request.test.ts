import { describe, expect, it } from 'vitest';
import { encodeProduceRequest, PRODUCE_VERSIONS } from '../../src/client/produce-request.ts';
import { apis, encodeMessage, WireWriter } from '../../src/protocol/index.ts';
import { encodeBatch } from '../../src/record/index.ts';

/**
 * The Produce request body the batch producer writes must be, byte for byte, what the broker's
 * schema-driven codec (from Kafka's ProduceRequest.json) writes for the same request, in every
 * version it sends: 7 and 8 (int16/int32 lengths) and 9–11 (flexible: compact lengths, tagged fields).
 */
const batch = (value: string) => encodeBatch([{ key: Buffer.from('k'), value: Buffer.from(value), timestamp: 1_000, headers: [] }], { baseOffset: 0 });

describe('encodeProduceRequest', () => {
  const topics = [
    { topic: 'words-repartition', partitions: [{ partition: 0, batch: batch('a') }, { partition: 3, batch: batch('b'.repeat(300)) }] },
    { topic: 'tópico', partitions: [{ partition: 1, batch: batch('c') }] },
  ];
  const versions = Array.from({ length: PRODUCE_VERSIONS.max - PRODUCE_VERSIONS.min + 1 }, (_, i) => PRODUCE_VERSIONS.min + i);

  it.each(versions)('writes version %i as the protocol codec does, with and without a transactional id', (version) => {
    for (const transactionalId of [null, 'orders-app-1']) {
      const expected = new WireWriter();
      encodeMessage(expected, apis.produce.request, {
        transactionalId, acks: -1, timeoutMs: 30_000,
        topicData: topics.map((t) => ({ name: t.topic, partitionData: t.partitions.map((p) => ({ index: p.partition, records: p.batch })) })),
      }, version, version >= 9);
      expect(encodeProduceRequest({ version, transactionalId, acks: -1, timeoutMs: 30_000 }, topics)).toEqual(expected.finish());
    }
  });
});
