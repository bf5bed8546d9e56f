import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import type { Message as ConsumedMessage } from '@platformatic/kafka';
import { KafkaBroker } from '../../src/broker/index.ts';
import { LogEngine } from '../../src/log/index.ts';
import { setLogLevel } from '../../src/common/index.ts';
import { ERROR_CODES, apis } from '../../src/protocol/index.ts';
import { encodeBatch } from '../../src/record/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { RawClient } from './support/raw-client.ts';

setLogLevel('warn');
let cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await Promise.resolve().then(step).catch(() => undefined);
  cleanup = [];
});

async function startBroker(): Promise<{ engine: LogEngine; brokers: string[]; port: number }> {
  const engine = await LogEngine.open({ dataDir: join(tempDir(), 'data') });
  const broker = new KafkaBroker({ engine, port: 0 });
  const { port } = await broker.start();
  cleanup.push(() => engine.close(), () => broker.close());
  return { engine, brokers: [`127.0.0.1:${port}`], port };
}

function transactionalProducer(brokers: string[], transactionalId: string): Producer<string, string, string, string> {
  const producer = new Producer({ clientId: transactionalId, bootstrapBrokers: brokers, serializers: stringSerializers, idempotent: true, transactionalId, retries: 0 });
  cleanup.push(() => producer.close());
  return producer;
}

function messages(topic: string, prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({ topic, key: `k${i}`, value: `${prefix}-${i}`, partition: 0 }));
}

/** One record for partition 0, written in-process by the engine. */
function record(value: string, timestamp = 1) {
  return { key: null, value: Buffer.from(value), timestamp, headers: [], partition: 0 };
}

async function rawClient(port: number): Promise<RawClient> {
  const client = await RawClient.open(port);
  cleanup.push(() => client.close());
  return client;
}

describe('transactions served to @platformatic/kafka', () => {
  it('a read_committed consumer sees committed records, never aborted ones, and open ones only once committed', async () => {
    const { brokers, port } = await startBroker();
    const admin = new Admin({ clientId: 'tx-admin', bootstrapBrokers: brokers });
    cleanup.push(() => admin.close());
    await admin.createTopics({ topics: ['orders'], partitions: 1, replicas: 1 });
    const producer = transactionalProducer(brokers, 'tx-orders');

    const committed = await producer.beginTransaction();
    await committed.send({ messages: messages('orders', 'committed', 5) });
    await committed.commit();
    const aborted = await producer.beginTransaction();
    await aborted.send({ messages: messages('orders', 'aborted', 5) });
    await aborted.abort();
    const open = await producer.beginTransaction();
    await open.send({ messages: messages('orders', 'open', 3) });

    // 5 committed + 1 marker, 5 aborted + 1 marker, then the open transaction from offset 12.
    const c = await rawClient(port);
    const listed = (isolationLevel: number) => c.request(apis.listOffsets, 7, { replicaId: -1, isolationLevel, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, timestamp: -1 }] }] });
    expect(await listed(1)).toMatchObject({ topics: [{ partitions: [{ errorCode: 0, offset: 12 }] }] });
    expect(await listed(0)).toMatchObject({ topics: [{ partitions: [{ errorCode: 0, offset: 15 }] }] });

    const consumer = new Consumer({ groupId: 'tx-readers', clientId: 'tx-reader', bootstrapBrokers: brokers, deserializers: stringDeserializers, maxWaitTime: 100 });
    cleanup.push(() => new Promise((resolve) => consumer.close(true, resolve)));
    const stream = await consumer.consume({ topics: ['orders'], mode: 'earliest', autocommit: false, sessionTimeout: 6_000, heartbeatInterval: 300 });
    const seen: string[] = [];
    const arrived = (count: number) => new Promise<void>((resolve, reject) => {
      if (seen.length >= count) return resolve();
      stream.on('data', () => seen.length >= count && resolve());
      stream.once('error', reject);
    });
    stream.on('data', (message) => seen.push(message.value));
    await arrived(5);
    expect(seen).toEqual(messages('orders', 'committed', 5).map((m) => m.value));
    await open.commit();
    await arrived(8);
    expect(seen.slice(5)).toEqual(messages('orders', 'open', 3).map((m) => m.value));
    expect(await listed(1)).toMatchObject({ topics: [{ partitions: [{ offset: 16 }] }] });
  }, 30_000);

  it('offsets sent with a transaction become the group\'s committed offsets only when it commits', async () => {
    const { engine, brokers } = await startBroker();
    await engine.createTopic('input', { partitions: 1 });
    await engine.produce('input', Array.from({ length: 4 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), timestamp: 1, headers: [], partition: 0 })));
    const consumer = new Consumer({ groupId: 'txn-group', clientId: 'txn-group-reader', bootstrapBrokers: brokers, deserializers: stringDeserializers, maxWaitTime: 100 });
    cleanup.push(() => new Promise((resolve) => consumer.close(true, resolve)));
    const stream = await consumer.consume({ topics: ['input'], mode: 'earliest', autocommit: false, sessionTimeout: 6_000, heartbeatInterval: 300 });
    let last: ConsumedMessage<string, string, string, string> | undefined;
    for await (const message of stream) {
      last = message;
      if (message.offset === 3n) break;
    }
    const producer = transactionalProducer(brokers, 'tx-offsets');

    const abandoned = await producer.beginTransaction();
    await abandoned.addConsumer(consumer);
    await abandoned.addOffset(last!);
    expect(await engine.fetchOffsets('txn-group')).toEqual([]);
    await abandoned.abort();
    expect(await engine.fetchOffsets('txn-group')).toEqual([]);

    const kept = await producer.beginTransaction();
    await kept.addConsumer(consumer);
    await kept.addOffset(last!);
    expect(await engine.fetchOffsets('txn-group')).toEqual([]);
    await kept.commit();
    expect(await engine.fetchOffsets('txn-group')).toMatchObject([{ topic: 'input', partition: 0, offset: 4 }]);
  }, 30_000);

  it('a second producer with the same transactional id fences the first, whose open transaction is aborted', async () => {
    const { engine, brokers } = await startBroker();
    await engine.createTopic('fenced', { partitions: 1 });
    const older = transactionalProducer(brokers, 'tx-fence');
    const zombie = await older.beginTransaction();
    await zombie.send({ messages: messages('fenced', 'zombie', 2) });
    const newer = transactionalProducer(brokers, 'tx-fence');
    const live = await newer.beginTransaction();
    await live.send({ messages: messages('fenced', 'live', 2) });
    await live.commit();
    await expect(zombie.commit()).rejects.toThrow();
    const visible = await engine.fetch('fenced', 0, 0, { isolationLevel: 'read_committed' });
    expect(visible.map((r) => r.value?.toString())).toEqual(['live-0', 'live-1']);
  }, 30_000);
});

describe('transactions served to kafkajs 2.2 (the classic, non-flexible versions)', () => {
  it('a transactional producer commits one transaction with offsets and aborts another', async () => {
    const { engine, port } = await startBroker();
    await engine.createTopic('payments', { partitions: 2 });
    await engine.createTopic('source', { partitions: 1 });
    const kafka = new Kafka({ clientId: 'kafkajs-tx', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 50 } });
    const producer = kafka.producer({ transactionalId: 'kafkajs-payments', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    cleanup.push(() => producer.disconnect());
    const kept = await producer.transaction();
    await kept.send({ topic: 'payments', messages: [{ key: 'a', value: 'kept-1', partition: 0 }, { key: 'b', value: 'kept-2', partition: 1 }] });
    await kept.sendOffsets({ consumerGroupId: 'kafkajs-group', topics: [{ topic: 'source', partitions: [{ partition: 0, offset: '7' }] }] });
    await kept.commit();
    const dropped = await producer.transaction();
    await dropped.send({ topic: 'payments', messages: [{ key: 'a', value: 'dropped', partition: 0 }] });
    await dropped.sendOffsets({ consumerGroupId: 'kafkajs-group', topics: [{ topic: 'source', partitions: [{ partition: 0, offset: '9' }] }] });
    await dropped.abort();
    const committed = [...await engine.fetch('payments', 0, 0, { isolationLevel: 'read_committed' }), ...await engine.fetch('payments', 1, 0, { isolationLevel: 'read_committed' })];
    expect(committed.map((r) => r.value?.toString()).sort()).toEqual(['kept-1', 'kept-2']);
    expect(await engine.fetchOffsets('kafkajs-group')).toMatchObject([{ topic: 'source', partition: 0, offset: 7 }]);
  }, 30_000);
});

describe('transactional and idempotent produce over the wire', () => {
  it('a retried idempotent batch is acknowledged with its first offset and stored once; a sequence gap is refused', async () => {
    const { engine, port } = await startBroker();
    await engine.createTopic('idem', { partitions: 1 });
    const c = await rawClient(port);
    const init = await c.request(apis.initProducerId, 4, { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    expect(init['errorCode']).toBe(ERROR_CODES.NONE);
    const producer = { producerId: init['producerId'] as number, producerEpoch: init['producerEpoch'] as number };
    const batch = (baseSequence: number, value: string) => encodeBatch([{ key: null, value: Buffer.from(value), timestamp: 1, headers: [] }], { baseOffset: 0, ...producer, baseSequence });
    const produce = async (records: Buffer) => ((await c.request(apis.produce, 9, { transactionalId: null, acks: -1, timeoutMs: 1000, topicData: [{ name: 'idem', partitionData: [{ index: 0, records }] }] }))['responses'] as Array<{ partitionResponses: Array<{ errorCode: number; baseOffset: number }> }>)[0]!.partitionResponses[0]!;
    await engine.produce('idem', [record('other')]);
    expect(await produce(batch(0, 'first'))).toMatchObject({ errorCode: 0, baseOffset: 1 });
    expect(await produce(batch(0, 'first'))).toMatchObject({ errorCode: 0, baseOffset: 1 });
    expect(await produce(batch(5, 'gap'))).toMatchObject({ errorCode: ERROR_CODES.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect((await engine.fetch('idem', 0, 0)).map((r) => r.value?.toString())).toEqual(['other', 'first']);
  });

  it('Fetch and ListOffsets under read_committed stop at the last stable offset; Fetch names the aborted transactions', async () => {
    const { engine, port } = await startBroker();
    await engine.createTopic('mixed', { partitions: 1 });
    const aborted = { transactionalId: 'raw-aborted', ...await engine.initProducerId('raw-aborted') };
    await engine.produce('mixed', [record('a')], { producer: aborted, addPartitions: true });
    await engine.endTxn(aborted, false);
    const open = { transactionalId: 'raw-open', ...await engine.initProducerId('raw-open') };
    // Later than the abort marker's timestamp (the time it was written), so a lookup finds the open record.
    const later = Date.now() + 3_600_000;
    await engine.produce('mixed', [record('o', later)], { producer: open, addPartitions: true });
    const c = await rawClient(port);
    const fetch = async (isolationLevel: number) => ((await c.request(apis.fetch, 12, {
      replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: 'mixed', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }], forgottenTopicsData: [], rackId: '',
    }))['responses'] as Array<{ partitions: Array<Record<string, unknown>> }>)[0]!.partitions[0]!;
    const committedRead = await fetch(1);
    expect(committedRead).toMatchObject({ errorCode: 0, highWatermark: 3, lastStableOffset: 2, abortedTransactions: [{ producerId: aborted.producerId, firstOffset: 0 }] });
    const uncommittedRead = await fetch(0);
    expect(uncommittedRead).toMatchObject({ errorCode: 0, highWatermark: 3, lastStableOffset: 2, abortedTransactions: null });
    expect((uncommittedRead['records'] as Buffer).length).toBeGreaterThan((committedRead['records'] as Buffer).length);
    // The open record's timestamp: found under read_uncommitted, not yet readable under read_committed.
    const byTimestamp = async (isolationLevel: number) => ((await c.request(apis.listOffsets, 7, { replicaId: -1, isolationLevel, topics: [{ name: 'mixed', partitions: [{ partitionIndex: 0, timestamp: later }] }] }))['topics'] as Array<{ partitions: Array<{ offset: number }> }>)[0]!.partitions[0]!.offset;
    expect(await byTimestamp(0)).toBe(2);
    expect(await byTimestamp(1)).toBe(-1);
  });

  it('a read_committed Fetch waiting at the last stable offset is not ended by an open transaction\'s data, but by its commit', async () => {
    const { engine, port } = await startBroker();
    await engine.createTopic('waiting', { partitions: 1 });
    const c = await rawClient(port);
    const producer = { transactionalId: 'raw-wait', ...await engine.initProducerId('raw-wait') };
    const pending = c.request(apis.fetch, 12, {
      replicaId: -1, maxWaitMs: 30_000, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 1, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: 'waiting', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }], forgottenTopicsData: [], rackId: '',
    });
    // A request answered on a second connection: by then the broker has read the Fetch and waits.
    await (await rawClient(port)).request(apis.apiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' });
    await engine.produce('waiting', [record('pending')], { producer, addPartitions: true });
    // The append woke the Fetch; its re-read (no I/O past the last stable offset) finishes within this turn.
    await new Promise((resolve) => setImmediate(resolve));
    await engine.endTxn(producer, true);
    const partition = ((await pending)['responses'] as Array<{ partitions: Array<{ lastStableOffset: number; records: Buffer }> }>)[0]!.partitions[0]!;
    expect(partition.lastStableOffset).toBe(2);
    expect(partition.records.length).toBeGreaterThan(0);
  });

  it('transactional APIs answer Kafka\'s error codes: fenced epochs, a partition not added, unknown ids, unknown key types', async () => {
    const { engine, port } = await startBroker();
    await engine.createTopic('t', { partitions: 1 });
    const c = await rawClient(port);
    const init = () => c.request(apis.initProducerId, 4, { transactionalId: 'raw-tx', transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    const first = await init();
    const second = await init();
    expect(second).toMatchObject({ errorCode: 0, producerId: first['producerId'], producerEpoch: (first['producerEpoch'] as number) + 1 });
    const produceAs = async (epoch: unknown) => {
      const records = encodeBatch([{ key: null, value: Buffer.from('x'), timestamp: 1, headers: [] }], { baseOffset: 0, producerId: first['producerId'] as number, producerEpoch: epoch as number, baseSequence: 0, transactional: true });
      const response = await c.request(apis.produce, 9, { transactionalId: 'raw-tx', acks: -1, timeoutMs: 1000, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] });
      return (response['responses'] as Array<{ partitionResponses: Array<{ errorCode: number }> }>)[0]!.partitionResponses[0]!.errorCode;
    };
    expect(await produceAs(second['producerEpoch'])).toBe(ERROR_CODES.INVALID_TXN_STATE);
    const add = (epoch: unknown, version = 3) => c.request(apis.addPartitionsToTxn, version, { v3AndBelowTransactionalId: 'raw-tx', v3AndBelowProducerId: first['producerId'], v3AndBelowProducerEpoch: epoch, v3AndBelowTopics: [{ name: 't', partitions: [0] }] });
    expect(await add(first['producerEpoch'])).toMatchObject({ resultsByTopicV3AndBelow: [{ name: 't', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: ERROR_CODES.PRODUCER_FENCED }] }] });
    // Version 1 predates PRODUCER_FENCED: its clients get INVALID_PRODUCER_EPOCH.
    expect(await add(first['producerEpoch'], 1)).toMatchObject({ resultsByTopicV3AndBelow: [{ resultsByPartition: [{ partitionErrorCode: ERROR_CODES.INVALID_PRODUCER_EPOCH }] }] });
    expect(await add(second['producerEpoch'])).toMatchObject({ resultsByTopicV3AndBelow: [{ resultsByPartition: [{ partitionErrorCode: 0 }] }] });
    // A stale epoch on Produce is INVALID_PRODUCER_EPOCH (abortable), as Kafka answers since KIP-588.
    expect(await produceAs(first['producerEpoch'])).toBe(ERROR_CODES.INVALID_PRODUCER_EPOCH);
    expect(await produceAs(second['producerEpoch'])).toBe(ERROR_CODES.NONE);
    const zombieInit = await c.request(apis.initProducerId, 4, { transactionalId: 'raw-tx', transactionTimeoutMs: 60_000, producerId: first['producerId'], producerEpoch: first['producerEpoch'] });
    expect(zombieInit['errorCode']).toBe(ERROR_CODES.PRODUCER_FENCED);

    const described = await c.request(apis.describeTransactions, 0, { transactionalIds: ['raw-tx', 'nobody'] });
    expect(described).toMatchObject({ transactionStates: [
      { errorCode: 0, transactionalId: 'raw-tx', transactionState: 'Ongoing', producerId: first['producerId'], topics: [{ topic: 't', partitions: [0] }] },
      { errorCode: ERROR_CODES.TRANSACTIONAL_ID_NOT_FOUND, transactionalId: 'nobody' },
    ] });
    const listed = await c.request(apis.listTransactions, 1, { stateFilters: ['Ongoing', 'Bogus'], producerIdFilters: [], durationFilter: -1 });
    expect(listed).toMatchObject({ errorCode: 0, unknownStateFilters: ['Bogus'], transactionStates: [{ transactionalId: 'raw-tx', transactionState: 'Ongoing' }] });

    const end = await c.request(apis.endTxn, 3, { transactionalId: 'raw-tx', producerId: second['producerId'], producerEpoch: second['producerEpoch'], committed: true });
    expect(end['errorCode']).toBe(0);
    // Aborting what was just committed: no transaction is open.
    const endAgain = await c.request(apis.endTxn, 3, { transactionalId: 'raw-tx', producerId: second['producerId'], producerEpoch: second['producerEpoch'], committed: false });
    expect(endAgain['errorCode']).toBe(ERROR_CODES.INVALID_TXN_STATE);

    const coordinator = (keyType: number) => c.request(apis.findCoordinator, 4, { keyType, coordinatorKeys: ['raw-tx'] });
    expect(await coordinator(1)).toMatchObject({ coordinators: [{ key: 'raw-tx', nodeId: 0, port, errorCode: 0 }] });
    expect(await coordinator(2)).toMatchObject({ coordinators: [{ key: 'raw-tx', errorCode: ERROR_CODES.INVALID_REQUEST }] });
  });
});
