import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filter, firstValueFrom } from 'rxjs';
import { Consumed, KafkaStreams, LogEngine, Materialized, Serdes, StreamsBuilder, startHttpEndpoint } from '../../src/index.ts';
import type { StoredRecord } from '../../src/index.ts';
import { clicksTopology, find, runClicks, until, valueOf } from '../metrics/support/clicks-app.ts';
import { loggedLines } from '../support/log-capture.ts';
import { tempDir } from '../support/temp-dir.ts';

async function get(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

/** Every non-empty line of a Prometheus text exposition: a comment, or `name{labels} value`. */
const PROMETHEUS_LINE = /^(#.*|[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf))$/;

describe('the HTTP endpoint of a running KafkaStreams', () => {
  it('serves /metrics in the Prometheus text format with the JMX exporter\'s names', async () => {
    const app = await runClicks([1, 2, 3, 4, 5]);
    const http = await startHttpEndpoint(app.streams, { port: 0 });
    try {
      await until(() => valueOf(app.streams.metrics(), 'stream-thread-metrics', 'process-total') === 5, 'five records processed');
      // records-lag is set at each commit, which may come a moment after the records are processed.
      await until(() => find(app.streams.metrics(), 'consumer-fetch-manager-metrics', 'records-lag').length > 0, 'records-lag after a commit');
      const { status, type, body } = await get(http.port, '/metrics');
      expect(status).toBe(200);
      expect(type).toContain('text/plain');
      const lines = body.trimEnd().split('\n');
      expect(lines.filter((line) => line !== '' && !PROMETHEUS_LINE.test(line))).toEqual([]);
      expect(body).toMatch(/^kafka_streams_stream_thread_metrics_process_total\{thread_id="clicks-[^"]+-StreamThread-1"\} 5$/m);
      expect(body).toMatch(/^kafka_streams_stream_task_metrics_dropped_records_total\{thread_id="[^"]+",task_id="0_0"\} 0$/m);
      expect(body).toMatch(/^kafka_streams_consumer_fetch_manager_metrics_records_lag\{client_id="[^"]+",topic="clicks",partition="0"\} \d+$/m);
      expect(body).toContain('# TYPE kafka_streams_stream_processor_node_metrics_record_e2e_latency_max gauge');
      // String-valued metrics (state, application-id) have no Prometheus form.
      expect(body).not.toContain('kafka_streams_stream_metrics_application_id');
    } finally {
      await http.close();
      await app.close();
    }
  });

  it('answers /health and /ready while running, /topology as text and Mermaid, and 404 elsewhere', async () => {
    const app = await runClicks([1]);
    const http = await startHttpEndpoint(app.streams, { port: 0 });
    try {
      expect(await get(http.port, '/health')).toMatchObject({ status: 200 });
      const ready = await get(http.port, '/ready');
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toEqual({ status: 'READY', state: 'RUNNING' });
      const text = await get(http.port, '/topology');
      expect(text.body).toBe(clicksTopology().describe().toString());
      expect(text.body).toContain('Sub-topology: 0');
      const mermaid = await get(http.port, '/topology?format=mermaid');
      expect(mermaid.body).toBe(clicksTopology().describe().toMermaid());
      expect((await get(http.port, '/topology/mermaid')).body).toBe(mermaid.body);
      expect((await get(http.port, '/topology?format=dot')).status).toBe(400);
      const missing = await get(http.port, '/nothing-here');
      expect(missing.status).toBe(404);
      expect(JSON.parse(missing.body)).toMatchObject({ error: 'NOT_FOUND' });
      expect((await fetch(`http://127.0.0.1:${http.port}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await http.close();
      await app.close();
    }
  });

  it('answers /ready 503 with restore progress while a store restores, then 200', async () => {
    const first = await runClicks([1, 2, 3, 11, 12, 21]);
    await until(() => valueOf(first.streams.metrics(), 'stream-thread-metrics', 'process-total') === 6, 'six records processed');
    await first.streams.close();
    const dir = tempDir();
    // The changelog is read through a gate, so the restore is observed half-way, deterministically.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const engine = gatedChangelogs(first.engine, gate);
    const streams = new KafkaStreams(clicksTopology(), {
      'application.id': 'clicks', 'state.dir': join(dir, 'state'), 'poll.ms': 5, 'metrics.recording.level': 'DEBUG',
    }, { engine });
    const http = await startHttpEndpoint(streams, { port: 0 });
    try {
      const notStarted = await get(http.port, '/ready');
      expect(notStarted.status).toBe(503);
      expect(JSON.parse(notStarted.body)).toMatchObject({ status: 'NOT_READY', state: 'CREATED' });
      const starting = streams.start();
      await until(() => streams.restoreProgress().length > 0, 'the restore to begin');
      const restoring = await get(http.port, '/ready');
      expect(restoring.status).toBe(503);
      const body = JSON.parse(restoring.body);
      expect(body).toMatchObject({ status: 'NOT_READY', state: 'REBALANCING' });
      expect(body.restore).toEqual([{ taskId: '0_0', store: 'clicks-per-window', restored: 0, total: expect.any(Number) }]);
      expect(body.restore[0].total).toBeGreaterThan(0);
      // The task-level restore metrics (DEBUG) say the same.
      expect(valueOf(streams.metrics(), 'stream-task-metrics', 'restore-remaining-records-total')).toBe(body.restore[0].total);
      expect((await get(http.port, '/health')).status).toBe(200);
      open();
      await starting;
      expect((await get(http.port, '/ready')).status).toBe(200);
      expect(valueOf(streams.metrics(), 'stream-task-metrics', 'restore-remaining-records-total')).toBe(0);
      expect(valueOf(streams.metrics(), 'stream-task-metrics', 'restore-total')).toBe(body.restore[0].total);
    } finally {
      open();
      await http.close();
      await streams.close();
      await first.engine.close();
    }
  });

  it('answers /health 503 once processing failed and the instance is in ERROR', async () => {
    const dir = tempDir();
    const engine = await LogEngine.open({ dataDir: join(dir, 'log') });
    await engine.createTopic('clicks', { partitions: 1 });
    const builder = new StreamsBuilder();
    builder.stream('clicks', Consumed.with(Serdes.String(), Serdes.String())).foreach(() => {
      throw new Error('this processor always fails');
    });
    const streams = new KafkaStreams(builder.build(), { 'application.id': 'failing', 'state.dir': join(dir, 'state'), 'poll.ms': 5 }, { engine });
    const http = await startHttpEndpoint(streams, { port: 0 });
    try {
      await streams.start();
      const failed = firstValueFrom(streams.state$.pipe(filter((state) => state === 'ERROR')));
      await engine.produce('clicks', [{ key: Buffer.from('a'), value: Buffer.from('x'), timestamp: 1, headers: [] }]);
      await failed;
      const health = await get(http.port, '/health');
      expect(health.status).toBe(503);
      expect(JSON.parse(health.body)).toEqual({ status: 'DOWN', state: 'ERROR' });
      const ready = JSON.parse((await get(http.port, '/ready')).body);
      expect(ready).toMatchObject({ state: 'ERROR', reason: 'processing failed; see the log' });
      expect(valueOf(streams.metrics(), 'stream-metrics', 'failed-stream-threads')).toBe(1);
      expect(loggedLines('error').some((line) => line.message.includes('this processor always fails'))).toBe(true);
    } finally {
      await http.close();
      await engine.close();
    }
  });
});

describe('the http option of KafkaStreams', () => {
  it('serves the endpoint from start() to close(): health, metrics and a key of a store', async () => {
    const dir = tempDir();
    const engine = await LogEngine.open({ dataDir: join(dir, 'log') });
    await engine.createTopic('clicks', { partitions: 1 });
    await engine.produce('clicks', ['a', 'b', 'a'].map((key, timestamp) => ({ key: Buffer.from(key), value: Buffer.from('x'), timestamp, headers: [] })));
    const builder = new StreamsBuilder();
    builder.stream('clicks', Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count(Materialized.as('clicks-per-user'));
    const streams = new KafkaStreams(builder.build(), {
      'application.id': 'clicks-http', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 5,
    }, { engine, http: { port: 0 } });
    expect(streams.httpAddress).toBeUndefined();
    try {
      await streams.start();
      const { host, port } = streams.httpAddress!;
      expect(host).toBe('127.0.0.1');
      expect((await get(port, '/health')).status).toBe(200);
      await until(() => valueOf(streams.metrics(), 'stream-thread-metrics', 'process-total') === 3, 'three records processed');
      expect((await get(port, '/metrics')).body).toMatch(/^kafka_streams_stream_thread_metrics_process_total\{[^}]*\} 3$/m);
      const key = await get(port, '/stores/clicks-per-user/keys/a');
      expect(key.status).toBe(200);
      expect(JSON.parse(key.body)).toMatchObject({ key: 'a', value: 2 });
      expect((await get(port, '/stores/clicks-per-user/keys/nobody')).status).toBe(404);
      await streams.close();
      expect(streams.httpAddress).toBeUndefined();
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    } finally {
      await streams.close();
      await engine.close();
    }
  });
});

/** The engine, with reads of `*-changelog` topics held until `gate` resolves. */
function gatedChangelogs(engine: LogEngine, gate: Promise<void>): LogEngine {
  return new Proxy(engine, {
    get(target, property) {
      if (property === 'fetch' || property === 'fetchRecords') {
        const read = target[property] as (topic: string, ...rest: unknown[]) => Promise<unknown>;
        return async (topic: string, ...rest: unknown[]): Promise<unknown> => {
          if (topic.endsWith('-changelog')) await gate;
          return read.call(target, topic, ...rest);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
