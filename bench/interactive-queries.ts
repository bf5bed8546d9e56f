/**
 * Interactive queries: what reading a store through `streams.store(...)` costs. Figures, each with
 * a baseline measured in the same run:
 * - `get` through the view over every local task (it asks the tasks in turn, as Kafka's composite
 *   store does), and through a view of the key's partition only (`withPartition`, as the HTTP
 *   endpoint reads), against `get` on the one task store that holds the key (found by its partition);
 * - `GET /stores/<store>/keys/<key>` answered locally over HTTP (sequential requests on a kept-alive
 *   connection) against a bare node:http server answering a fixed JSON body.
 * Usage: `npx tsx bench/interactive-queries.ts [--keys N]`. The last line is one JSON object.
 */
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  Consumed, KafkaStreams, LogEngine, Materialized, QueryableStoreTypes, Serdes, StoreQueryParameters, StreamsBuilder, partitionForKey, setLogLevel,
  startHttpEndpoint,
} from '../src/index.ts';
import type { ReadOnlyKeyValueStore } from '../src/index.ts';

const { values: args } = parseArgs({ options: { keys: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx bench/interactive-queries.ts [--keys N]\nMeasures store reads through the query view and over HTTP against direct reads and a bare HTTP server; last line is JSON.');
  process.exit(0);
}
const KEYS = args.keys === undefined ? 20_000 : Number(args.keys);
if (!Number.isInteger(KEYS) || KEYS < 1000) {
  console.error(`bench/interactive-queries: --keys must be a whole number >= 1000, got '${args.keys}'`);
  process.exit(2);
}
setLogLevel('warn');
const PARTITIONS = 8;
const HTTP_REQUESTS = 5_000;
const root = mkdtempSync(join(tmpdir(), 'kstreams-bench-queries-'));
const keys = Array.from({ length: KEYS }, (_, i) => `user-${i}`);

const log = await LogEngine.open({ dataDir: join(root, 'log') });
await log.createTopic('clicks', { partitions: PARTITIONS });
await log.produce('clicks', keys.map((key, i) => ({ key: Buffer.from(key), value: Buffer.from('click'), timestamp: i, headers: [] })));
const builder = new StreamsBuilder();
builder.stream<string, string>('clicks', Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count(Materialized.as<string, number>('counts'));
const streams = new KafkaStreams(builder.build(), { 'application.id': 'bench-queries', 'state.dir': join(root, 'state'), 'commit.interval.ms': 100, 'poll.ms': 10 }, { engine: log });
await streams.start();
const view = streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>()));
while (view.approximateNumEntries() < KEYS) {
  await streams.commit();
  await new Promise((resolve) => setTimeout(resolve, 50));
}

function opsPerSecond(read: (key: string) => unknown): number {
  for (const key of keys.slice(0, 1000)) read(key); // warm-up
  const started = performance.now();
  for (const key of keys) if (read(key) === null) throw new Error(`missing ${key}`);
  return Math.round(keys.length / ((performance.now() - started) / 1000));
}
const taskStores = Array.from({ length: PARTITIONS }, (_, p) => streams.store<ReadOnlyKeyValueStore<string, { value: number }>>(`0_${p}`, 'counts')!);
const direct = opsPerSecond((key) => taskStores[partitionForKey(Buffer.from(key), PARTITIONS)]!.get(key));
const composite = opsPerSecond((key) => view.get(key));
const params = StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>());
const onePartition = opsPerSecond((key) => streams.store(params.withPartition(partitionForKey(Buffer.from(key), PARTITIONS))).get(key));
console.log(`get through the view over ${PARTITIONS} tasks: ${composite} ops/s (ratio ${(composite / direct).toFixed(2)}); through a view of the key's partition: ${onePartition} ops/s (ratio ${(onePartition / direct).toFixed(2)}); on the owning task's store: ${direct} ops/s`);

async function latencies(url: (i: number) => string): Promise<{ perSecond: number; p50: number; p99: number }> {
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < HTTP_REQUESTS; i++) {
    const begin = performance.now();
    const response = await fetch(url(i));
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    times.push(performance.now() - begin);
  }
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { perSecond: Math.round(HTTP_REQUESTS / elapsed), p50: +times[Math.floor(times.length / 2)]!.toFixed(3), p99: +times[Math.floor(times.length * 0.99)]!.toFixed(3) };
}
const http = await startHttpEndpoint(streams, { port: 0 });
const storeHttp = await latencies((i) => `http://127.0.0.1:${http.port}/stores/counts/keys/${keys[i % KEYS]}`);
const body = JSON.stringify({ key: 'user-1', value: 1 });
const bare = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(body));
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const barePort = (bare.address() as { port: number }).port;
const bareHttp = await latencies(() => `http://127.0.0.1:${barePort}/`);
console.log(`GET /stores/counts/keys/<key>: ${storeHttp.perSecond} req/s, p50 ${storeHttp.p50} ms, p99 ${storeHttp.p99} ms; bare node:http: ${bareHttp.perSecond} req/s, p50 ${bareHttp.p50} ms (ratio ${(storeHttp.perSecond / bareHttp.perSecond).toFixed(2)})`);

await new Promise((resolve) => bare.close(resolve));
await http.close();
await streams.close();
await log.close();
rmSync(root, { recursive: true, force: true });
console.log(JSON.stringify({ bench: 'interactive-queries', keys: KEYS, partitions: PARTITIONS, compositeGetPerSecond: composite, partitionGetPerSecond: onePartition, directGetPerSecond: direct, httpGetPerSecond: storeHttp.perSecond, httpP50Ms: storeHttp.p50, httpP99Ms: storeHttp.p99, bareHttpPerSecond: bareHttp.perSecond,
  compositeGetRatio: round2(composite / direct), partitionGetRatio: round2(onePartition / direct), httpRatio: round2(storeHttp.perSecond / bareHttp.perSecond) }));

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
