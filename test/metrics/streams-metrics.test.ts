import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Consumed, KafkaStreams, LogEngine, Materialized, Serdes, Stores, StreamsBuilder } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { find, runClicks, until, valueOf } from './support/clicks-app.ts';

const THREAD = 'stream-thread-metrics';
const TASK = 'stream-task-metrics';
const NODE = 'stream-processor-node-metrics';

describe('KafkaStreams.metrics() on the embedded engine', () => {
  it('counts processed records at the thread level and registers Kafka\'s names and tags', async () => {
    const app = await runClicks([1, 2, 3, 4, 5, 6, 7]);
    try {
      // The foreach sees the counts when the cache flushes them, at a commit.
      const terminalLatency = () => find(app.streams.metrics(), NODE, 'record-e2e-latency-max').find((m) => m.tags['processor-node-id'] === 'KSTREAM-FOREACH-0000000003')?.value;
      await until(() => valueOf(app.streams.metrics(), THREAD, 'process-total') === 7 && !Number.isNaN(terminalLatency()), 'all records processed and flushed');
      const metrics = app.streams.metrics();
      const [thread] = find(metrics, THREAD, 'process-rate');
      expect(Object.keys(thread!.tags)).toEqual(['thread-id']);
      expect(thread!.tags['thread-id']).toMatch(/^clicks-[0-9a-f-]{36}-StreamThread-1$/);
      expect(thread!.value).toBeGreaterThan(0);
      for (const name of ['process-latency-avg', 'process-latency-max', 'commit-rate', 'commit-total', 'commit-latency-avg', 'poll-rate', 'poll-total', 'punctuate-rate', 'task-created-total', 'task-closed-total']) {
        expect(find(metrics, THREAD, name), name).toHaveLength(1);
      }
      expect(valueOf(metrics, THREAD, 'task-created-total')).toBe(1);
      expect(valueOf(metrics, THREAD, 'poll-total')).toBeGreaterThan(0);
      const [dropped] = find(metrics, TASK, 'dropped-records-total');
      expect(dropped!.tags).toEqual({ 'thread-id': thread!.tags['thread-id'], 'task-id': '0_0' });
      expect(valueOf(metrics, 'stream-metrics', 'state')).toBe('RUNNING');
      expect(valueOf(metrics, 'stream-metrics', 'alive-stream-threads')).toBe(1);
      // The source node and the terminal node (foreach) measure end-to-end latency at INFO.
      const e2e = find(metrics, NODE, 'record-e2e-latency-max');
      expect(e2e.map((m) => m.tags['processor-node-id']).sort()).toEqual(['KSTREAM-FOREACH-0000000003', 'KSTREAM-SOURCE-0000000000']);
      // Records are stamped 1..7 ms after the epoch: their end-to-end latency is about the current time.
      expect(e2e.every((m) => typeof m.value === 'number' && m.value > Date.now() - 3_600_000)).toBe(true);
      // DEBUG sensors are registered but record nothing at INFO, as in Kafka.
      expect(valueOf(metrics, TASK, 'process-total')).toBe(0);
      expect(valueOf(metrics, TASK, 'record-lateness-max')).toBeNaN();
    } finally {
      await app.close();
    }
  });

  it('counts records dropped for closed windows in dropped-records-total', async () => {
    // Stream time 15 closes [0, 10) (grace 5): the record at 3 is dropped; the one at 2 (stream time 14) is not.
    const app = await runClicks([1, 14, 2, 15, 3]);
    try {
      await until(() => valueOf(app.streams.metrics(), THREAD, 'process-total') === 5, 'all five records');
      expect(valueOf(app.streams.metrics(), TASK, 'dropped-records-total')).toBe(1);
      expect(valueOf(app.streams.metrics(), TASK, 'dropped-records-rate')).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('records the task-level and record-cache DEBUG sensors at metrics.recording.level DEBUG', async () => {
    const app = await runClicks([1, 14, 2, 15, 3], { 'metrics.recording.level': 'DEBUG' });
    try {
      await until(() => valueOf(app.streams.metrics(), TASK, 'process-total') === 5, 'task process-total to reach 5');
      const metrics = app.streams.metrics();
      // Lateness against stream time: 0, 0, 12 (2 after 14), 0, 12 (3 after 15).
      expect(valueOf(metrics, TASK, 'record-lateness-max')).toBe(12);
      expect(valueOf(metrics, NODE, 'process-total')).toBe(5);
      // The windowed count reads each window's count through the cache: [0,10) misses, [10,20)
      // misses, [0,10) hits, [10,20) hits (the late record is dropped unread): hits over reads
      // after each read are 0, 0, 1/3, 1/2.
      const [hitRatio] = find(metrics, 'stream-record-cache-metrics', 'hit-ratio-max');
      expect(hitRatio).toEqual({ tags: expect.objectContaining({ 'task-id': '0_0', 'record-cache-id': 'clicks-per-window' }), value: 0.5 });
      expect(valueOf(metrics, 'stream-record-cache-metrics', 'hit-ratio-min')).toBe(0);
      expect(valueOf(metrics, 'stream-record-cache-metrics', 'hit-ratio-avg')).toBeCloseTo(5 / 24, 10);
    } finally {
      await app.close();
    }
  });

  it('reports records-lag per input partition, and removes a closed task\'s metrics', async () => {
    const app = await runClicks([1, 2, 3]);
    try {
      await until(() => find(app.streams.metrics(), 'consumer-fetch-manager-metrics', 'records-lag')[0]?.value === 0, 'records-lag 0');
      await app.engine.produce('clicks', [4, 5].map((timestamp) => ({ key: Buffer.from('a'), value: Buffer.from('x'), timestamp, headers: [] })));
      await until(() => valueOf(app.streams.metrics(), THREAD, 'process-total') === 5, 'the two new records');
      const [lag] = find(app.streams.metrics(), 'consumer-fetch-manager-metrics', 'records-lag');
      expect(lag!.tags).toMatchObject({ topic: 'clicks', partition: '0' });
      expect(lag!.tags['client-id']).toMatch(/-StreamThread-1-consumer$/);
    } finally {
      await app.close();
    }
    expect(find(app.streams.metrics(), TASK, 'dropped-records-total')).toEqual([]);
    expect(valueOf(app.streams.metrics(), THREAD, 'task-closed-total')).toBe(1);
  });

  it('times a key-value store\'s operations at DEBUG under Kafka\'s state store names, and not at INFO', async () => {
    for (const level of ['INFO', 'DEBUG'] as const) {
      const dir = tempDir();
      const engine = await LogEngine.open({ dataDir: join(dir, 'log') });
      await engine.createTopic('words', { partitions: 1 });
      await engine.produce('words', ['a', 'b', 'a'].map((key) => ({ key: Buffer.from(key), value: Buffer.from('x'), timestamp: 1, headers: [] })));
      const builder = new StreamsBuilder();
      builder.stream<string, string>('words', Consumed.with(Serdes.String(), Serdes.String()))
        .groupByKey()
        .count(Materialized.as<string, number>(Stores.inMemoryKeyValueStore('word-counts')));
      const streams = new KafkaStreams(builder.build(), {
        'application.id': 'words', 'state.dir': join(dir, 'state'), 'poll.ms': 5, 'commit.interval.ms': 20, 'metrics.recording.level': level,
      }, { engine });
      await streams.start();
      try {
        await until(() => valueOf(streams.metrics(), THREAD, 'process-total') === 3 && valueOf(streams.metrics(), THREAD, 'commit-total') as number > 0, 'three records committed');
        const metrics = streams.metrics();
        const [putRate] = find(metrics, 'stream-state-metrics', 'put-rate');
        expect(putRate!.tags).toMatchObject({ 'task-id': '0_0', 'in-memory-state-id': 'word-counts' });
        // The count reads then writes each key (through the cache; the store sees the writes at commit).
        if (level === 'INFO') {
          expect(putRate!.value).toBe(0);
          expect(valueOf(metrics, 'stream-state-metrics', 'get-latency-max')).toBeNaN();
        } else {
          expect(putRate!.value).toBeGreaterThan(0);
          expect(valueOf(metrics, 'stream-state-metrics', 'get-latency-max')).toBeGreaterThanOrEqual(0);
          expect(valueOf(metrics, 'stream-state-metrics', 'flush-rate')).toBeGreaterThan(0);
        }
      } finally {
        await streams.close();
        await engine.close();
      }
    }
  });
});
