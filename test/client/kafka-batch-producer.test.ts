import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Reader, readRecordsBatch } from '@platformatic/kafka';
import * as client from '@platformatic/kafka';
import { KafkaCluster, RefusedRecordsError, clientErrorHas } from '../../src/client/index.ts';
import { compressBatch } from '../../src/client/compress-batch.ts';
import { KafkaBroker, LogEngine, partitionForKey, setLogLevel } from '../../src/index.ts';
import { encodeBatch } from '../../src/record/index.ts';
import type { LogRecord } from '../../src/record/index.ts';
import { startInProcessBroker } from '../support/in-process-broker.ts';
import { loggedLines } from '../support/log-capture.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * KafkaCluster.produce over the Kafka protocol: kstreams encodes the record batches and sends its
 * own Produce requests through the client's connections. What it writes must read back exactly —
 * through the log engine behind the broker and through the client's Fetch — on the partitions
 * Kafka's producer would choose, through a dropped connection, and inside transactions.
 */
// Info lines (retries) are kept by the log capture for the tests to read, not printed.
setLogLevel('info');
let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

async function connect(bootstrap: string, name: string): Promise<KafkaCluster> {
  const cluster = await KafkaCluster.connect({ bootstrapServers: [bootstrap], clientId: name, groupId: name });
  cleanup.push(() => cluster.close());
  return cluster;
}

async function stored(engine: LogEngine, topic: string, partition: number, isolationLevel: 'read_committed' | 'read_uncommitted' = 'read_uncommitted') {
  const { records } = await engine.fetchRecords(topic, partition, 0, { isolationLevel });
  return records.map(({ key, value, timestamp, headers }) => ({ key: key?.toString() ?? null, value: value?.toString() ?? null, timestamp, headers: headers.map((h) => [h.key, h.value?.toString() ?? null]) }));
}

const retries = () => loggedLines('info').filter((line) => /^producing to ".*retrying in \d+ ms$/.test(line.message));

const record = (key: string | null, value: string | null, timestamp = 1_000, headers: LogRecord['headers'] = []) =>
  ({ key: key === null ? null : Buffer.from(key), value: value === null ? null : Buffer.from(value), timestamp, headers });

describe('KafkaCluster.produce with kstreams-encoded batches', () => {
  it('writes keys, values, nulls, headers and timestamps that read back exactly, by the engine and by the client', async () => {
    const { engine, bootstrap } = await startInProcessBroker(tempDir(), cleanup);
    await engine.createTopic('mixed', { partitions: 1 });
    const cluster = await connect(bootstrap, 'mixed');
    await cluster.produce('mixed', [
      record('k1', 'v1', 1_700_000_000_123, [{ key: 'trace', value: Buffer.from('t-1') }, { key: 'empty', value: null }]),
      record(null, 'no key', 5),
      record('tombstone', null, 1_700_000_000_000),
      record('ü-ключ', 'é', 42, [{ key: 'ключ', value: Buffer.from('значение') }]),
    ].map((r) => ({ ...r, partition: 0 })));
    const expected = [
      { key: 'k1', value: 'v1', timestamp: 1_700_000_000_123, headers: [['trace', 't-1'], ['empty', null]] },
      { key: null, value: 'no key', timestamp: 5, headers: [] },
      { key: 'tombstone', value: null, timestamp: 1_700_000_000_000, headers: [] },
      { key: 'ü-ключ', value: 'é', timestamp: 42, headers: [['ключ', 'значение']] },
    ];
    expect(await stored(engine, 'mixed', 0)).toEqual(expected);
    const page = await cluster.fetch('mixed', 0, 0, 1 << 20);
    expect(page.records.map((r) => ({ key: r.key?.toString() ?? null, value: r.value?.toString() ?? null, timestamp: r.timestamp, headers: r.headers.map((h) => [h.key, h.value?.toString() ?? null]) })))
      .toEqual(expected);
    expect(page.nextOffset).toBe(4);
  });

  it('puts a keyed record where Kafka\'s producer would, keeps given partitions, sends a call\'s keyless records to one partition, and keeps order per partition', async () => {
    const { engine, bootstrap } = await startInProcessBroker(tempDir(), cleanup);
    await engine.createTopic('spread', { partitions: 4 });
    const cluster = await connect(bootstrap, 'spread');
    const keys = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    await cluster.produce('spread', keys.map((k, i) => record(k, `${i}`)));
    await cluster.produce('spread', [{ ...record('user-0', 'pinned'), partition: 3 }]);
    await cluster.produce('spread', [record(null, 'a'), record(null, 'b'), record(null, 'c')]);
    const byPartition = await Promise.all([0, 1, 2, 3].map((p) => stored(engine, 'spread', p)));
    for (const [i, key] of keys.entries()) {
      const values = byPartition[partitionForKey(Buffer.from(key), 4)]!.filter((r) => r.key === key).map((r) => r.value);
      expect(values[0]).toBe(`${i}`);
    }
    expect(byPartition[3]!.some((r) => r.value === 'pinned')).toBe(true);
    const keyless = byPartition.map((records) => records.filter((r) => r.key === null).map((r) => r.value)).filter((values) => values.length > 0);
    expect(keyless).toEqual([['a', 'b', 'c']]);
    // Within a partition the records of one call keep their order.
    for (const records of byPartition) {
      const numbered = records.filter((r) => r.key !== null && /^\d+$/.test(r.value ?? '')).map((r) => Number(r.value));
      expect(numbered).toEqual([...numbered].sort((a, b) => a - b));
    }
  });

  it('refuses a partition the topic does not have with a coded error naming it', async () => {
    const { engine, bootstrap } = await startInProcessBroker(tempDir(), cleanup);
    await engine.createTopic('two', { partitions: 2 });
    const cluster = await connect(bootstrap, 'two');
    await expect(cluster.produce('two', [{ ...record('k', 'v'), partition: 2 }]))
      .rejects.toMatchObject({ code: 'PARTITION_OUT_OF_RANGE', message: expect.stringMatching(/topic "two" partition 2: it has partitions 0 to 1/) });
    expect(await stored(engine, 'two', 0)).toEqual([]);
    expect(await stored(engine, 'two', 1)).toEqual([]);
  });

  it('fails at once, naming Kafka\'s error, when the cluster refuses a batch for good; the other partitions\' batches are written', async () => {
    const { engine, bootstrap } = await startInProcessBroker(tempDir(), cleanup);
    await engine.createTopic('small', { partitions: 2, config: { 'max.message.bytes': '1000' } });
    const cluster = await connect(bootstrap, 'small');
    const refused = await cluster.produce('small', [{ ...record('k', 'x'.repeat(2_000)), partition: 0 }, { ...record('k', 'fits'), partition: 1 }]).then(() => undefined, (error: unknown) => error);
    // A coded error that carries the refused partition's records; Kafka's answer is its cause.
    expect(refused).toBeInstanceOf(RefusedRecordsError);
    expect((refused as RefusedRecordsError).code).toBe('RECORD_TOO_LARGE');
    expect((refused as RefusedRecordsError).message).toMatch(/refused 1 record\(s\) for topic "small" — partition 0/);
    expect((refused as RefusedRecordsError).refused.map((r) => r.value!.length)).toEqual([2_000]);
    expect(clientErrorHas((refused as Error).cause, 'apiId', 'MESSAGE_TOO_LARGE')).toBe(true);
    expect(retries()).toEqual([]);
    expect(await stored(engine, 'small', 0)).toEqual([]);
    expect((await stored(engine, 'small', 1)).map((r) => r.value)).toEqual(['fits']);
  });

  it('retries through a dropped connection: a broker that restarts on the same port gets the records once', async () => {
    const dir = tempDir();
    const engine = await LogEngine.open({ dataDir: join(dir, 'broker') });
    cleanup.push(() => engine.close());
    await engine.createTopic('restarts', { partitions: 1 });
    const first = new KafkaBroker({ engine, port: 0 });
    const { port } = await first.start();
    const cluster = await connect(`127.0.0.1:${port}`, 'restarts');
    await cluster.produce('restarts', [record('k', 'before')]);
    await first.close();
    // The produce meets a closed connection, then refused connections, until the broker is back.
    const producing = cluster.produce('restarts', [record('k', 'after-1'), record('k', 'after-2')]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = new KafkaBroker({ engine, port });
    await second.start();
    cleanup.push(() => second.close());
    await producing;
    expect(retries().length).toBeGreaterThan(0);
    expect((await stored(engine, 'restarts', 0)).map((r) => r.value)).toEqual(['before', 'after-1', 'after-2']);
  });

  it('writes transactional batches with sequence numbers that continue across transactions; an aborted one stays invisible to read_committed', async () => {
    const { engine, bootstrap } = await startInProcessBroker(tempDir(), cleanup);
    await engine.createTopic('txn-out', { partitions: 2 });
    const cluster = await connect(bootstrap, 'txn-app');
    const sender = await cluster.transactionalSender('txn-app-1');
    await sender.produce('txn-out', [{ ...record('a', 'first'), partition: 0 }, { ...record('b', 'first'), partition: 1 }]);
    await sender.commit('txn-app', []);
    await sender.produce('txn-out', [{ ...record('a', 'aborted'), partition: 0 }]);
    await sender.abort();
    await sender.produce('txn-out', [{ ...record('a', 'second'), partition: 0 }, { ...record('a', 'third'), partition: 0 }]);
    await sender.commit('txn-app', []);
    expect((await stored(engine, 'txn-out', 0, 'read_committed')).map((r) => r.value)).toEqual(['first', 'second', 'third']);
    expect((await stored(engine, 'txn-out', 1, 'read_committed')).map((r) => r.value)).toEqual(['first']);
    const page = await cluster.fetch('txn-out', 0, 0, 1 << 20, 'read_committed');
    expect(page.records.map((r) => r.value?.toString())).toEqual(['first', 'second', 'third']);
  });
});

describe('compressBatch', () => {
  // zstd needs Node's zlib zstd (Node 22.15+); the others are always there.
  const codecs = (['gzip', 'snappy', 'lz4', 'zstd'] as const).filter((codec) => client.compressionsAlgorithms[codec].available);
  it.each(codecs)('compresses a batch with %s so that Kafka clients decode the same records', (codec) => {
    const records = [record('k1', 'v1', 10, [{ key: 'h', value: Buffer.from('x') }]), record(null, 'v'.repeat(500), 12), record('k3', null, 11)];
    const compressed = compressBatch(client, encodeBatch(records, { baseOffset: 0, producerId: 7, producerEpoch: 1, baseSequence: 3, transactional: true }), codec);
    const batch = readRecordsBatch(Reader.from(compressed));
    expect(batch.attributes & 0x07).toBe(client.compressionsAlgorithms[codec].bitmask);
    expect([batch.producerId, batch.producerEpoch, batch.firstSequence]).toEqual([7n, 1, 3]);
    expect(batch.records.map((r) => [r.key?.toString() ?? null, r.value?.toString() ?? null, Number(batch.firstTimestamp + r.timestampDelta)]))
      .toEqual([['k1', 'v1', 10], [null, 'v'.repeat(500), 12], ['k3', null, 11]]);
  });
});
