import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock, isStreamsError } from '../../src/common/index.ts';
import { LogEngine, type TransactionalProducer, type ProduceRecord } from '../../src/log/index.ts';
import { decodeBatch, encodeBatch, isControl, isTransactional, readBatchHeader } from '../../src/record/index.ts';
import { tempDir } from '../support/temp-dir.ts';

const rec = (value: string, key: string | null = null): ProduceRecord => ({ key: key === null ? null : Buffer.from(key), value: Buffer.from(value), timestamp: 1_000, headers: [] });
const values = (records: ReadonlyArray<{ value: Buffer | null }>): string[] => records.map((r) => r.value!.toString());

const open: LogEngine[] = [];
afterEach(async () => {
  for (const engine of open.splice(0)) await engine.close();
});

async function start(dir = tempDir(), clock = new ManualClock(1_000_000)): Promise<{ engine: LogEngine; dir: string; clock: ManualClock }> {
  const engine = await LogEngine.open({ dataDir: dir, clock, retentionCheckIntervalMs: 0, transactionAbortCheckIntervalMs: 0 });
  open.push(engine);
  return { engine, dir, clock };
}

async function reopen(engine: LogEngine, dir: string, clock: ManualClock): Promise<LogEngine> {
  await engine.close();
  open.splice(open.indexOf(engine), 1);
  return (await start(dir, clock)).engine;
}

async function transactional(engine: LogEngine, id: string, transactionTimeoutMs?: number): Promise<TransactionalProducer> {
  return { transactionalId: id, ...(await engine.initProducerId(id, transactionTimeoutMs === undefined ? {} : { transactionTimeoutMs })) };
}

/** Every record a reader at `isolationLevel` sees, following `nextOffset` across segments, markers and aborted data. */
async function readAll(engine: LogEngine, topic: string, isolationLevel: 'read_committed' | 'read_uncommitted'): Promise<string[]> {
  const out: string[] = [];
  const { earliest, latest } = await engine.listOffsets(topic, 0, { isolationLevel });
  for (let offset = earliest; offset < latest; ) {
    const { records, nextOffset } = await engine.fetchRecords(topic, 0, offset, { isolationLevel });
    out.push(...values(records));
    if (nextOffset === offset) break;
    offset = nextOffset;
  }
  return out;
}

/** What each stored batch is: 'marker', or its values (prefixed 'txn:' when transactional), across segments. */
async function batchKinds(engine: LogEngine, topic: string): Promise<string[]> {
  const kinds: string[] = [];
  const { earliest, latest } = await engine.listOffsets(topic, 0);
  for (let offset = earliest; offset < latest; ) {
    const { bytes } = await engine.fetchBatches(topic, 0, offset, 1 << 20);
    for (let p = 0; p < bytes.length; p += readBatchHeader(bytes, p)!.sizeInBytes) {
      const batch = decodeBatch(bytes, p);
      kinds.push(isControl(batch.header) ? 'marker' : `${isTransactional(batch.header) ? 'txn:' : ''}${values(batch.records).join(',')}`);
      offset = batch.header.baseOffset + batch.header.lastOffsetDelta + 1;
    }
  }
  return kinds;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isStreamsError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** A producer's batch as a client encodes it for the wire. */
function wireBatch(producerId: number, producerEpoch: number, baseSequence: number, count: number, transactional = false): Buffer {
  const records = Array.from({ length: count }, (_, i) => rec(`s${baseSequence + i}`));
  return encodeBatch(records, { baseOffset: 0, producerId, producerEpoch, baseSequence, transactional });
}

describe('idempotent producers', () => {
  it('acknowledges a retried batch with its first offset and appends it once', async () => {
    const { engine } = await start();
    await engine.createTopic('t');
    const { producerId, producerEpoch } = await engine.initProducerId(null);
    expect(await engine.appendBatch('t', 0, wireBatch(producerId, producerEpoch, 0, 3))).toMatchObject({ baseOffset: 0, duplicate: false });
    expect(await engine.appendBatch('t', 0, wireBatch(producerId, producerEpoch, 3, 2))).toMatchObject({ baseOffset: 3, duplicate: false });
    // The ack of the first batch was lost; the client sends it again.
    expect(await engine.appendBatch('t', 0, wireBatch(producerId, producerEpoch, 0, 3))).toMatchObject({ baseOffset: 0, duplicate: true });
    expect(values(await engine.fetch('t', 0, 0))).toEqual(['s0', 's1', 's2', 's3', 's4']);
  });

  it('refuses a gap in sequence numbers and appends nothing', async () => {
    const { engine } = await start();
    await engine.createTopic('t');
    const { producerId } = await engine.initProducerId(null);
    await engine.appendBatch('t', 0, wireBatch(producerId, 0, 0, 2));
    expect(await codeOf(engine.appendBatch('t', 0, wireBatch(producerId, 0, 5, 1)))).toBe('OUT_OF_ORDER_SEQUENCE');
    expect((await engine.listOffsets('t', 0)).latest).toBe(2);
    // The next sequence in order is still accepted.
    expect((await engine.appendBatch('t', 0, wireBatch(producerId, 0, 2, 1))).baseOffset).toBe(2);
  });

  it('forgets only the oldest of more than five batches: a retry of the sixth-last is a gap', async () => {
    const { engine } = await start();
    await engine.createTopic('t');
    const { producerId } = await engine.initProducerId(null);
    for (let seq = 0; seq < 6; seq++) await engine.appendBatch('t', 0, wireBatch(producerId, 0, seq, 1));
    expect((await engine.appendBatch('t', 0, wireBatch(producerId, 0, 1, 1))).duplicate).toBe(true);
    expect(await codeOf(engine.appendBatch('t', 0, wireBatch(producerId, 0, 0, 1)))).toBe('OUT_OF_ORDER_SEQUENCE');
  });

  it('refuses an older epoch, and a newer epoch that does not start at sequence 0', async () => {
    const { engine } = await start();
    await engine.createTopic('t');
    const { producerId } = await engine.initProducerId(null);
    await engine.appendBatch('t', 0, wireBatch(producerId, 1, 0, 1));
    expect(await codeOf(engine.appendBatch('t', 0, wireBatch(producerId, 0, 1, 1)))).toBe('INVALID_PRODUCER_EPOCH');
    expect(await codeOf(engine.appendBatch('t', 0, wireBatch(producerId, 2, 4, 1)))).toBe('OUT_OF_ORDER_SEQUENCE');
    expect((await engine.appendBatch('t', 0, wireBatch(producerId, 2, 0, 1))).baseOffset).toBe(1);
  });

  it('forgets a producer idle for producer.id.expiration.ms, but not one with an open transaction', async () => {
    const { engine, clock } = await start();
    await engine.createTopic('t');
    const { producerId } = await engine.initProducerId(null);
    await engine.appendBatch('t', 0, wireBatch(producerId, 0, 0, 2));
    const open = await transactional(engine, 'app');
    await engine.produce('t', [rec('x')], { producer: open, addPartitions: true });
    clock.advance(86_400_000 - 1_000_000 + 1_000 - 1);
    expect(await engine.expireProducerIds()).toBe(0);
    clock.advance(1);
    expect(await engine.expireProducerIds()).toBe(1);
    // Unknown again: any sequence starts it, and the old batch is no longer recognised as a retry.
    expect(await engine.appendBatch('t', 0, wireBatch(producerId, 0, 0, 2))).toMatchObject({ baseOffset: 3, duplicate: false });
    expect(engine.lastStableOffset('t', 0)).toBe(2);
  });

  it('keeps sequences across a restart, clean or not, so a retry after it is still recognised', async () => {
    const { engine, dir, clock } = await start();
    await engine.createTopic('t');
    const { producerId } = await engine.initProducerId(null);
    await engine.appendBatch('t', 0, wireBatch(producerId, 0, 0, 2));
    const again = await reopen(engine, dir, clock);
    expect(await again.appendBatch('t', 0, wireBatch(producerId, 0, 0, 2))).toMatchObject({ baseOffset: 0, duplicate: true });
    expect(await codeOf(again.appendBatch('t', 0, wireBatch(producerId, 0, 3, 1)))).toBe('OUT_OF_ORDER_SEQUENCE');
    const fresh = await again.initProducerId(null);
    expect(fresh.producerId).not.toBe(producerId);
  });
});

describe('transactions', () => {
  it('writes markers with Kafka\'s control-record layout', async () => {
    const { engine } = await start();
    await engine.createTopic('t');
    const producer = await transactional(engine, 'app');
    await engine.produce('t', [rec('a')], { producer, addPartitions: true });
    await engine.endTxn(producer, true);
    const { bytes } = await engine.fetchBatches('t', 0, 0, 1 << 20);
    const data = readBatchHeader(bytes, 0)!;
    expect(isTransactional(data) && !isControl(data)).toBe(true);
    expect([data.producerId, data.producerEpoch, data.baseSequence]).toEqual([producer.producerId, producer.producerEpoch, 0]);
    const marker = decodeBatch(bytes, data.sizeInBytes);
    expect(marker.header.attributes & 0x30).toBe(0x30);
    expect([marker.header.baseOffset, marker.header.producerId, marker.header.producerEpoch, marker.header.baseSequence]).toEqual([1, producer.producerId, producer.producerEpoch, -1]);
    expect(marker.records).toHaveLength(1);
    // key: version int16 0, type int16 1 (COMMIT); value: version int16 0, coordinatorEpoch int32.
    expect(marker.records[0]!.key!.toString('hex')).toBe('00000001');
    expect(marker.records[0]!.value!.toString('hex')).toBe('000000000000');
  });

  it('hides open and aborted transactions from read_committed, and never returns markers', async () => {
    const { engine } = await start();
    await engine.createTopic('t');
    const a = await transactional(engine, 'a');
    const b = await transactional(engine, 'b');
    await engine.produce('t', [rec('plain-1')]);
    await engine.produce('t', [rec('a-1')], { producer: a, addPartitions: true });
    await engine.produce('t', [rec('b-1')], { producer: b, addPartitions: true });
    await engine.endTxn(b, false);
    await engine.produce('t', [rec('plain-2')]);
    expect(values(await engine.fetch('t', 0, 0, { isolationLevel: 'read_committed' }))).toEqual(['plain-1']);
    expect(engine.lastStableOffset('t', 0)).toBe(1);
    expect(await engine.listOffsets('t', 0, { isolationLevel: 'read_committed' })).toEqual({ earliest: 0, latest: 1 });
    expect(values(await engine.fetch('t', 0, 0))).toEqual(['plain-1', 'a-1', 'b-1', 'plain-2']);
    await engine.endTxn(a, true);
    expect(engine.lastStableOffset('t', 0)).toBe(6);
    expect(values(await engine.fetch('t', 0, 0, { isolationLevel: 'read_committed' }))).toEqual(['plain-1', 'a-1', 'plain-2']);
    expect(values(await engine.fetch('t', 0, 0))).toEqual(['plain-1', 'a-1', 'b-1', 'plain-2']);
    // A read from a marker moves past it.
    expect(await engine.fetchRecords('t', 0, 5)).toEqual({ records: [], nextOffset: 6 });
  });

  it('keeps the LSO at or above the log start when the start of an open transaction is deleted', async () => {
    const { engine } = await start();
    await engine.createTopic('t');
    const producer = await transactional(engine, 'app');
    await engine.produce('t', [rec('a'), rec('b')], { producer, addPartitions: true });
    await engine.produce('t', [rec('plain')]);
    await engine.deleteRecords('t', 0, 1);
    expect(engine.lastStableOffset('t', 0)).toBe(1);
    expect(await engine.listOffsets('t', 0, { isolationLevel: 'read_committed' })).toEqual({ earliest: 1, latest: 1 });
    await engine.endTxn(producer, true);
    expect(await readAll(engine, 't', 'read_committed')).toEqual(['b', 'plain']);
  });

  it('lists the aborted transactions a read_committed Fetch covers, and stops its bytes at the last stable offset', async () => {
    const { engine } = await start();
    await engine.createTopic('t');
    const a = await transactional(engine, 'a');
    const b = await transactional(engine, 'b');
    await engine.produce('t', [rec('a-1')], { producer: a, addPartitions: true });
    await engine.endTxn(a, false);
    await engine.produce('t', [rec('b-1')], { producer: b, addPartitions: true });
    const read = await engine.fetchBatches('t', 0, 0, 1 << 20, true, 'read_committed');
    expect(read.lastStableOffset).toBe(2);
    expect(read.abortedTransactions).toEqual([{ producerId: a.producerId, firstOffset: 0 }]);
    let batches = 0;
    for (let p = 0; p < read.bytes.length; p += readBatchHeader(read.bytes, p)!.sizeInBytes) batches++;
    expect(batches).toBe(2); // a's data and its ABORT marker; b's open batch is past the LSO
    expect((await engine.fetchBatches('t', 0, 0, 1 << 20)).abortedTransactions).toEqual([]);
  });

  it('fences the older epoch of a transactional id and aborts its open transaction', async () => {
    const { engine } = await start();
    await engine.createTopic('t', { partitions: 2 });
    const zombie = await transactional(engine, 'app');
    await engine.produce('t', [{ ...rec('zombie'), partition: 0 }], { producer: zombie, addPartitions: true });
    const successor = await transactional(engine, 'app');
    expect(successor.producerId).toBe(zombie.producerId);
    expect(successor.producerEpoch).toBeGreaterThan(zombie.producerEpoch);
    expect(engine.lastStableOffset('t', 0)).toBe(2);
    expect(await engine.fetch('t', 0, 0, { isolationLevel: 'read_committed' })).toEqual([]);
    expect(await codeOf(engine.produce('t', [{ ...rec('late'), partition: 1 }], { producer: zombie, addPartitions: true }))).toBe('PRODUCER_FENCED');
    expect(await codeOf(engine.endTxn(zombie, true))).toBe('PRODUCER_FENCED');
    expect(await codeOf(engine.appendBatch('t', 0, wireBatch(zombie.producerId, zombie.producerEpoch, 1, 1, true)))).toBe('PRODUCER_FENCED');
    expect((await engine.listOffsets('t', 1)).latest).toBe(0);
  });

  it('moves a transactional id to a new producer id when its epochs run out, aborting the open transaction of the old one', async () => {
    const { engine, dir, clock } = await start();
    await engine.createTopic('t');
    const first = await transactional(engine, 'app');
    await engine.close();
    open.splice(open.indexOf(engine), 1);
    // Age the id to the last epoch by hand: 32766 InitProducerId calls would take minutes.
    const path = join(dir, 'transaction-state.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"producerEpoch":0', '"producerEpoch":32766'));
    const again = (await start(dir, clock)).engine;
    const old = { ...first, producerEpoch: 32766 };
    await again.produce('t', [rec('x')], { producer: old, addPartitions: true });
    const next = await transactional(again, 'app');
    expect(next.producerId).not.toBe(first.producerId);
    expect(next.producerEpoch).toBe(0);
    expect(again.lastStableOffset('t', 0)).toBe(2);
    expect(await codeOf(again.endTxn(old, true))).toBe('PRODUCER_FENCED');
    await again.produce('t', [rec('y')], { producer: next, addPartitions: true });
    await again.endTxn(next, true);
    expect(await readAll(again, 't', 'read_committed')).toEqual(['y']);
  });

  it('refuses a transactional batch for a partition not added, and an end with nothing open', async () => {
    const { engine } = await start();
    await engine.createTopic('t');
    const producer = await transactional(engine, 'app');
    expect(await codeOf(engine.produce('t', [rec('x')], { producer }))).toBe('INVALID_TXN_STATE');
    expect(await codeOf(engine.appendBatch('t', 0, wireBatch(producer.producerId, producer.producerEpoch, 0, 1, true)))).toBe('INVALID_TXN_STATE');
    expect(await codeOf(engine.endTxn(producer, true))).toBe('INVALID_TXN_STATE');
    await engine.addPartitionsToTxn(producer, [{ topic: 't', partition: 0 }]);
    expect((await engine.appendBatch('t', 0, wireBatch(producer.producerId, producer.producerEpoch, 0, 1, true))).baseOffset).toBe(0);
    // While its transaction is open here, the producer may not write outside it.
    expect(await codeOf(engine.appendBatch('t', 0, wireBatch(producer.producerId, producer.producerEpoch, 1, 1)))).toBe('INVALID_TXN_STATE');
    expect(await engine.describeTransactions(['app', 'nobody'])).toEqual([
      { transactionalId: 'app', producerId: producer.producerId, producerEpoch: producer.producerEpoch, state: 'Ongoing', timeoutMs: 60_000, startTimeMs: 1_000_000, partitions: [{ topic: 't', partition: 0 }] },
      { transactionalId: 'nobody', producerId: -1, producerEpoch: -1, state: 'Dead', timeoutMs: 0, startTimeMs: -1, partitions: [] },
    ]);
    await engine.endTxn(producer, true);
    await engine.endTxn(producer, true); // a retried EndTxn after its first try completed
    expect((await engine.listTransactions({ states: ['CompleteCommit'] })).map((t) => t.transactionalId)).toEqual(['app']);
  });

  it('applies offsets committed in a transaction only when it commits', async () => {
    const { engine } = await start();
    await engine.createTopic('in');
    await engine.createTopic('out');
    await engine.commitOffsets('g', [{ topic: 'in', partition: 0, offset: 3 }]);
    const producer = await transactional(engine, 'app');
    await engine.produce('out', [rec('x')], { producer, addPartitions: true });
    await engine.addOffsetsToTxn(producer, 'g');
    await engine.txnOffsetCommit(producer, 'g', [{ topic: 'in', partition: 0, offset: 7 }]);
    expect((await engine.fetchOffsets('g'))[0]!.offset).toBe(3);
    await engine.endTxn(producer, false);
    expect((await engine.fetchOffsets('g'))[0]!.offset).toBe(3);
    await engine.txnOffsetCommit(producer, 'g', [{ topic: 'in', partition: 0, offset: 9, metadata: 'm' }]);
    await engine.endTxn(producer, true);
    expect((await engine.fetchOffsets('g'))[0]).toMatchObject({ offset: 9, metadata: 'm' });
  });

  it('commits a transaction whose topic was deleted meanwhile, without its offsets or markers there', async () => {
    const { engine } = await start();
    await engine.createTopic('gone');
    await engine.createTopic('kept');
    const producer = await transactional(engine, 'app');
    await engine.produce('gone', [rec('x')], { producer, addPartitions: true });
    await engine.produce('kept', [rec('y')], { producer, addPartitions: true });
    await engine.txnOffsetCommit(producer, 'g', [{ topic: 'gone', partition: 0, offset: 1 }, { topic: 'kept', partition: 0, offset: 1 }]);
    await engine.deleteTopic('gone');
    await engine.endTxn(producer, true);
    expect((await engine.fetchOffsets('g')).map((o) => o.topic)).toEqual(['kept']);
    expect(await readAll(engine, 'kept', 'read_committed')).toEqual(['y']);
  });

  it('aborts a transaction older than its timeout; the producer then gets TRANSACTION_TIMED_OUT', async () => {
    const { engine, clock } = await start();
    await engine.createTopic('t');
    const producer = await transactional(engine, 'app', 5_000);
    await engine.produce('t', [rec('x')], { producer, addPartitions: true });
    clock.advance(4_999);
    expect(await engine.abortTimedOutTransactions()).toBe(0);
    clock.advance(1);
    expect(await engine.abortTimedOutTransactions()).toBe(1);
    expect(engine.lastStableOffset('t', 0)).toBe(2);
    expect(await engine.fetch('t', 0, 0, { isolationLevel: 'read_committed' })).toEqual([]);
    expect(await codeOf(engine.endTxn(producer, true))).toBe('TRANSACTION_TIMED_OUT');
    expect(await codeOf(engine.produce('t', [rec('y')], { producer, addPartitions: true }))).toBe('TRANSACTION_TIMED_OUT');
    const again = await transactional(engine, 'app', 5_000);
    await engine.produce('t', [rec('y')], { producer: again, addPartitions: true });
    await engine.endTxn(again, true);
    expect(values(await engine.fetch('t', 0, 0, { isolationLevel: 'read_committed' }))).toEqual(['y']);
  });

  it('keeps an open transaction across a restart; it is aborted on timeout after it', async () => {
    const { engine, dir, clock } = await start();
    await engine.createTopic('t');
    const producer = await transactional(engine, 'app', 10_000);
    await engine.produce('t', [rec('x')], { producer, addPartitions: true });
    let again = await reopen(engine, dir, clock);
    expect(again.lastStableOffset('t', 0)).toBe(0);
    expect((await again.describeTransactions(['app']))[0]!.state).toBe('Ongoing');
    clock.advance(10_000);
    again = await reopen(again, dir, clock); // the timeout passed while it was closed: aborted on open
    expect(again.lastStableOffset('t', 0)).toBe(2);
    expect((await again.describeTransactions(['app']))[0]!.state).toBe('CompleteAbort');
    expect(await again.fetch('t', 0, 0, { isolationLevel: 'read_committed' })).toEqual([]);
  });

  it('forgets a transactional id idle for transactional.id.expiration.ms, never one with a transaction open', async () => {
    const { engine, dir, clock } = await start();
    await engine.createTopic('t');
    const idle = await transactional(engine, 'idle');
    await engine.produce('t', [rec('x')], { producer: idle, addPartitions: true });
    await engine.endTxn(idle, true);
    const busy = await transactional(engine, 'busy', 10_000);
    await engine.produce('t', [rec('y')], { producer: busy, addPartitions: true });
    clock.advance(604_800_000);
    const again = await reopen(engine, dir, clock);
    expect((await again.describeTransactions(['idle', 'busy'])).map((t) => t.state)).toEqual(['Dead', 'CompleteAbort']);
    expect(await codeOf(again.endTxn(idle, true))).toBe('UNKNOWN_PRODUCER_ID');
    const fresh = await transactional(again, 'idle');
    expect(fresh.producerId).not.toBe(idle.producerId);
  });

  it('keeps an open transaction across a restart; a new epoch fences and aborts it', async () => {
    const { engine, dir, clock } = await start();
    await engine.createTopic('t');
    const producer = await transactional(engine, 'app');
    await engine.produce('t', [rec('x')], { producer, addPartitions: true });
    const again = await reopen(engine, dir, clock);
    const successor = await transactional(again, 'app');
    expect(successor.producerEpoch).toBe(producer.producerEpoch + 1);
    expect(again.lastStableOffset('t', 0)).toBe(2);
    expect(await codeOf(again.produce('t', [rec('y')], { producer, addPartitions: true }))).toBe('PRODUCER_FENCED');
    await again.produce('t', [rec('z')], { producer: successor, addPartitions: true });
    await again.endTxn(successor, true);
    expect(values(await again.fetch('t', 0, 0, { isolationLevel: 'read_committed' }))).toEqual(['z']);
  });
});

describe('compaction and recovery with transactions', () => {
  it('removes aborted data, keeps committed data and markers until delete.retention.ms, and leaves open transactions alone', async () => {
    const { engine, dir, clock } = await start();
    await engine.createTopic('c', { config: { 'cleanup.policy': 'compact', 'segment.bytes': 200, 'delete.retention.ms': 1_000 } });
    const a = await transactional(engine, 'a');
    const b = await transactional(engine, 'b');
    const at = (value: string, key: string): ProduceRecord => ({ ...rec(value, key), timestamp: clock.nowMs() });
    await engine.produce('c', [at('a1', 'k1')], { producer: a, addPartitions: true });
    await engine.produce('c', [at('b1', 'k1')], { producer: b, addPartitions: true });
    await engine.endTxn(b, false); // b's k1 must not hide a's k1
    await engine.endTxn(a, true);
    const c = await transactional(engine, 'c');
    for (let i = 0; i < 4; i++) await engine.produce('c', [at(`plain${i}`, `p${i}`)]);
    await engine.produce('c', [at('open', 'k1')], { producer: c, addPartitions: true }); // stays open
    for (let i = 0; i < 4; i++) await engine.produce('c', [at(`tail${i}`, `t${i}`)]);
    const committedBefore = await readAll(engine, 'c', 'read_committed');
    expect(committedBefore).toEqual(['a1', 'plain0', 'plain1', 'plain2', 'plain3']);

    const first = await engine.compact('c');
    expect(first.segmentsCompacted).toBeGreaterThan(0);
    expect(await batchKinds(engine, 'c')).toEqual(['a1', 'marker', 'marker', 'plain0', 'plain1', 'plain2', 'plain3', 'txn:open', 'tail0', 'tail1', 'tail2', 'tail3']); // b1 gone; markers still young
    expect(await readAll(engine, 'c', 'read_committed')).toEqual(committedBefore);

    clock.advance(2_000);
    await engine.compact('c');
    expect(await batchKinds(engine, 'c')).toEqual(['a1', 'plain0', 'plain1', 'plain2', 'plain3', 'txn:open', 'tail0', 'tail1', 'tail2', 'tail3']);
    expect(await readAll(engine, 'c', 'read_committed')).toEqual(committedBefore);
    expect(engine.lastStableOffset('c', 0)).toBe(8);

    // Rebuilt from the compacted log alone (no snapshot), the producer state gives the same answers.
    await engine.close();
    open.splice(open.indexOf(engine), 1);
    rmSync(join(dir, 'c-0', 'producer-state.json'));
    const again = (await start(dir, clock)).engine;
    expect(again.lastStableOffset('c', 0)).toBe(8);
    expect(await readAll(again, 'c', 'read_committed')).toEqual(committedBefore);
    await again.endTxn(c, true);
    expect(await readAll(again, 'c', 'read_committed')).toEqual([...committedBefore, 'open', 'tail0', 'tail1', 'tail2', 'tail3']);
  });

  it('rebuilds the open transaction and the LSO when recovery cuts a torn tail', async () => {
    const { engine, dir, clock } = await start();
    await engine.createTopic('t');
    const producer = await transactional(engine, 'app');
    await engine.produce('t', [rec('x')], { producer, addPartitions: true });
    await engine.endTxn(producer, true);
    await engine.produce('t', [rec('y')], { producer, addPartitions: true });
    await engine.close();
    open.splice(open.indexOf(engine), 1);
    // Tear the last batch (y) and drop the clean-shutdown mark: the snapshot now describes a longer log.
    const segment = join(dir, 't-0', '00000000000000000000.log');
    truncateSync(segment, statSync(segment).size - 5);
    rmSync(join(dir, '.clean-shutdown'));
    const again = (await start(dir, clock)).engine;
    expect((await again.listOffsets('t', 0)).latest).toBe(2);
    expect(again.lastStableOffset('t', 0)).toBe(2);
    // The coordinator still has the transaction open; its commit writes no marker where no data is left.
    await again.endTxn(producer, true);
    expect(values(await again.fetch('t', 0, 0, { isolationLevel: 'read_committed' }))).toEqual(['x']);
    expect((await again.listOffsets('t', 0)).latest).toBe(2);
  });
});
