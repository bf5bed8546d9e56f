import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { KafkaBroker } from '../../src/broker/index.ts';
import { LogEngine } from '../../src/log/index.ts';
import { ERROR_CODES, apis } from '../../src/protocol/index.ts';
import { encodeBatch } from '../../src/record/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { encodeRawBatch, type RawBatch, type RawRecord } from '../log/support/raw-batch.ts';
import { RawClient } from './support/raw-client.ts';

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

const record = (i: number): RawRecord => ({ timestampDelta: i, offsetDelta: i, key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), headers: [] });
const three: RawBatch = { baseTimestamp: 1_000, records: [record(0), record(1), record(2)] };

/** The lies a CRC does not catch, each with the error a Kafka broker answers. */
const LIES: Array<[string, RawBatch, number]> = [
  ['record count 0', { ...three, recordCount: 0 }, ERROR_CODES.INVALID_RECORD],
  ['record count -1', { ...three, recordCount: -1 }, ERROR_CODES.INVALID_RECORD],
  ['record count above the records present', { ...three, recordCount: 4, lastOffsetDelta: 3 }, ERROR_CODES.CORRUPT_MESSAGE],
  ['lastOffsetDelta -1', { ...three, lastOffsetDelta: -1 }, ERROR_CODES.INVALID_RECORD],
  ['lastOffsetDelta 0 on 3 records', { ...three, lastOffsetDelta: 0 }, ERROR_CODES.INVALID_RECORD],
  ['lastOffsetDelta 0x7fffffff', { ...three, lastOffsetDelta: 0x7fffffff }, ERROR_CODES.INVALID_RECORD],
  ['offset deltas not contiguous', { ...three, records: [record(0), { ...record(1), offsetDelta: 2 }, record(2)] }, ERROR_CODES.INVALID_RECORD],
  ['garbage records after a valid header', { ...three, records: [], recordCount: 3, lastOffsetDelta: 2, trailing: Buffer.from('garbage!garbage!') }, ERROR_CODES.CORRUPT_MESSAGE],
  ['bytes after the last record', { ...three, trailing: Buffer.from([0, 1, 2]) }, ERROR_CODES.CORRUPT_MESSAGE],
  ['a key length past the record', { ...three, records: [{ ...record(0), keyLength: 99 }] }, ERROR_CODES.CORRUPT_MESSAGE],
  ['a control batch', { ...three, attributes: 0x20 }, ERROR_CODES.INVALID_RECORD],
  ['a timestamp past 2^53', { ...three, baseTimestamp: 2 ** 60 }, ERROR_CODES.INVALID_TIMESTAMP],
];

describe('Produce refuses batches whose fields lie, and appends nothing', () => {
  it.each(LIES)('%s', async (_name, lie, errorCode) => {
    const engine = await LogEngine.open({ dataDir: join(tempDir(), 'data'), retentionCheckIntervalMs: 0 });
    const broker = new KafkaBroker({ engine, port: 0 });
    const { port } = await broker.start();
    const c = await RawClient.open(port);
    cleanup.push(() => engine.close(), () => broker.close(), () => c.close());
    await engine.createTopic('t');
    const honest = encodeBatch([{ key: null, value: Buffer.from('ok'), timestamp: 5, headers: [] }], { baseOffset: 0 });
    const produce = (records: Buffer) => c.request(apis.produce, 9, { transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] });
    expect(await produce(honest)).toMatchObject({ responses: [{ partitionResponses: [{ errorCode: 0, baseOffset: 0 }] }] });
    // The lie alone, and the lie after an honest batch in the same request: neither appends anything.
    for (const records of [encodeRawBatch(lie), Buffer.concat([honest, encodeRawBatch(lie)])]) {
      const answer = await produce(records);
      expect(answer).toMatchObject({ responses: [{ partitionResponses: [{ errorCode, baseOffset: -1 }] }] });
    }
    expect(await produce(honest)).toMatchObject({ responses: [{ partitionResponses: [{ errorCode: 0, baseOffset: 1 }] }] });
    expect((await engine.fetch('t', 0, 0)).map((r) => [r.offset, r.value?.toString()])).toEqual([[0, 'ok'], [1, 'ok']]);
    expect(c.closed).toBe(false);
  });

  it('stores the largest record timestamp when the producer\'s maxTimestamp is wrong, as Kafka does', async () => {
    const engine = await LogEngine.open({ dataDir: join(tempDir(), 'data'), retentionCheckIntervalMs: 0 });
    cleanup.push(() => engine.close());
    await engine.createTopic('t');
    await engine.appendBatch('t', 0, encodeRawBatch({ ...three, maxTimestamp: 9_999_999 }));
    const { bytes: stored } = await engine.fetchBatches('t', 0, 0, 1 << 20);
    expect(stored.readBigInt64BE(35)).toBe(1_002n);
    expect(await engine.offsetForTimestamp('t', 0, 1_002)).toBe(2);
  });
});
