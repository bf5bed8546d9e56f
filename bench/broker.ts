/**
 * `kstreams broker` under a Kafka client: @platformatic/kafka produces and consumes through the
 * Kafka protocol against a broker running in its own process, for 100 B and 1 KiB records over 1
 * and 8 partitions. Baselines measured in the same run: the in-process append rate of the log
 * engine (LogEngine.produce, same batches) and raw loopback TCP throughput (bytes through a
 * socket, as records of the same size). Then p50/p99 latency of single-record produce requests
 * sent at half of the peak single-record rate.
 *
 * The same batches are also produced by a bare client that sends Produce requests encoded before
 * the clock starts (our own protocol codec, one batch per partition per request, as Kafka clients
 * send them): with the client's encoding out of the way it measures what the broker sustains. For
 * every produce run the broker's CPU time is read from /proc (and the @platformatic/kafka client's
 * from this process), and the in-process append's CPU time from this process: `broker cpu ratio` = records per broker CPU-second / in-process append records
 * per CPU-second, a figure the other processes on a loaded machine do not move.
 * Targets: produce over the network >= 0.5 of in-process append; p99 at half load <= 5 ms.
 * Usage: `npx tsx bench/broker.ts [--records N]`. The last line is one JSON object.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { Consumer, Producer } from '@platformatic/kafka';
import { partitionForKey } from '../src/common/index.ts';
import { LogEngine, setLogLevel } from '../src/index.ts';
import { FrameReader, apis, decodeResponse, encodeRequest } from '../src/protocol/index.ts';
import { encodeBatch, type LogRecord } from '../src/record/index.ts';

const { values: args } = parseArgs({ options: { records: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx bench/broker.ts [--records N]\nMeasures produce/consume through the Kafka protocol against in-process append and loopback TCP; last line is JSON.');
  process.exit(0);
}
const RECORDS = args.records === undefined ? 100_000 : Number(args.records);
if (!Number.isInteger(RECORDS) || RECORDS < 1000) {
  console.error(`bench/broker: --records must be a whole number >= 1000, got '${args.records}'`);
  process.exit(2);
}
setLogLevel('warn');
const BATCH = 1000;
const IN_FLIGHT = 4;
const root = mkdtempSync(join(tmpdir(), 'kstreams-bench-broker-'));

async function startBroker(): Promise<{ stop: () => Promise<void>; bootstrap: string; port: number; cpuSeconds: () => number }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'kstreams.js'), 'broker', '--port', '0', '--data-dir', join(root, 'broker')], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KSTREAMS_LOG_LEVEL: 'warn' },
  });
  const port = await new Promise<number>((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /:(\d+) \(Ctrl-C/.exec(out);
      if (match !== null) resolve(Number(match[1]));
    });
  });
  const ticksPerSecond = 100; // USER_HZ, the unit of /proc/<pid>/stat on Linux
  return {
    bootstrap: `127.0.0.1:${port}`,
    port,
    // utime + stime: fields 14 and 15 of /proc/<pid>/stat, counted after the command name's closing parenthesis.
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    },
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

const seconds = (start: number) => (performance.now() - start) / 1000;

async function produceRate(bootstrap: string, topic: string, size: number): Promise<number> {
  const producer = new Producer({ clientId: 'bench', bootstrapBrokers: [bootstrap], acks: 1, autocreateTopics: false });
  const value = Buffer.alloc(size, 120);
  const batches = Array.from({ length: RECORDS / BATCH }, (_, b) => Array.from({ length: BATCH }, (_, i) => ({ topic, key: Buffer.from(`key-${(b * BATCH + i) % 1000}`), value })));
  const started = performance.now();
  for (let i = 0; i < batches.length; i += IN_FLIGHT) {
    await Promise.all(batches.slice(i, i + IN_FLIGHT).map((messages) => producer.send({ messages })));
  }
  const rate = RECORDS / seconds(started);
  await producer.close();
  return rate;
}

/**
 * Produce requests encoded before the clock starts (one batch per partition, partitions chosen by
 * Kafka's murmur2 as the client above does), sent on one connection with IN_FLIGHT outstanding;
 * every response is checked for errors.
 */
async function preEncodedProduceRate(port: number, topic: string, size: number, partitions: number): Promise<number> {
  const value = Buffer.alloc(size, 120);
  const requests: Buffer[] = [];
  for (let b = 0; b < RECORDS / BATCH; b++) {
    const byPartition = new Map<number, LogRecord[]>();
    for (let i = 0; i < BATCH; i++) {
      const key = Buffer.from(`key-${(b * BATCH + i) % 1000}`);
      const partition = partitionForKey(key, partitions);
      if (!byPartition.has(partition)) byPartition.set(partition, []);
      byPartition.get(partition)!.push({ key, value, timestamp: Date.now(), headers: [] });
    }
    const partitionData = [...byPartition].map(([index, records]) => ({ index, records: encodeBatch(records, { baseOffset: 0 }) }));
    const body = { transactionalId: null, acks: 1, timeoutMs: 30_000, topicData: [{ name: topic, partitionData }] };
    requests.push(encodeRequest(apis.produce, { apiKey: apis.produce.apiKey, apiVersion: 9, correlationId: b, clientId: 'bench-raw' }, body));
  }
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const frames = new FrameReader(64 << 20);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    let sent = 0;
    let answered = 0;
    socket.on('data', (chunk: Buffer) => {
      for (const frame of frames.push(chunk)) {
        const { body } = decodeResponse(apis.produce, 9, frame);
        for (const topicResponse of body['responses'] as Array<{ partitionResponses: Array<{ errorCode: number }> }>) {
          for (const partition of topicResponse.partitionResponses) {
            if (partition.errorCode !== 0) reject(new Error(`bench/broker: a produce request was refused with Kafka error ${partition.errorCode}`));
          }
        }
        if (++answered === requests.length) resolve();
        else if (sent < requests.length) socket.write(requests[sent++]!);
      }
    });
    while (sent < Math.min(IN_FLIGHT, requests.length)) socket.write(requests[sent++]!);
  });
  const rate = RECORDS / seconds(started);
  socket.destroy();
  return rate;
}

async function consumeRate(bootstrap: string, topic: string): Promise<number> {
  const consumer = new Consumer({ groupId: `bench-${topic}`, clientId: 'bench', bootstrapBrokers: [bootstrap], maxWaitTime: 100, maxBytes: 8 << 20 });
  const started = performance.now();
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
  let read = 0;
  for await (const _message of stream) {
    if (++read >= RECORDS) break;
  }
  const rate = RECORDS / seconds(started);
  await new Promise((resolve) => consumer.close(true, resolve));
  return rate;
}

/** Records/s of the log engine's own append of the same batches, and records per CPU-second. */
async function inProcessAppendRate(size: number, partitions: number): Promise<{ rate: number; perCpuSecond: number }> {
  const engine = await LogEngine.open({ dataDir: join(root, `engine-${size}-${partitions}`), retentionCheckIntervalMs: 0 });
  await engine.createTopic('t', { partitions });
  const value = Buffer.alloc(size, 120);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let b = 0; b < RECORDS; b += BATCH) {
    await engine.produce('t', Array.from({ length: BATCH }, (_, i) => ({ key: Buffer.from(`key-${(b + i) % 1000}`), value, timestamp: Date.now(), headers: [] })));
  }
  await engine.flush();
  const rate = RECORDS / seconds(started);
  const used = process.cpuUsage(cpu);
  await engine.close();
  return { rate, perCpuSecond: RECORDS / ((used.user + used.system) / 1e6) };
}

/** Bytes through a loopback socket, expressed as records of `size` bytes per second. */
async function loopbackRate(size: number): Promise<number> {
  const total = RECORDS * (size + 30);
  const server = createServer();
  let received = 0;
  const done = new Promise<void>((resolve) => server.on('connection', (socket) => socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received >= total) resolve();
  })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const chunk = Buffer.alloc(256 * 1024, 1);
  const started = performance.now();
  for (let sent = 0; sent < total; sent += chunk.length) {
    if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  await done;
  const rate = RECORDS / seconds(started);
  socket.destroy();
  await new Promise((resolve) => server.close(resolve));
  return rate;
}

/** Single-record produce latency at `rate` requests per second. */
async function latencies(bootstrap: string, topic: string, rate: number, count: number): Promise<number[]> {
  const producer = new Producer({ clientId: 'bench-latency', bootstrapBrokers: [bootstrap], acks: 1, autocreateTopics: false });
  await producer.send({ messages: [{ topic, key: Buffer.from('warm'), value: Buffer.from('up') }] });
  const times: number[] = [];
  const gapMs = 1000 / rate;
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const due = started + i * gapMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    pending.push(producer.send({ messages: [{ topic, key: Buffer.from(`k${i}`), value: Buffer.alloc(100, 1) }] }).then(() => void times.push(performance.now() - sent)));
  }
  await Promise.all(pending);
  await producer.close();
  return times.sort((a, b) => a - b);
}

async function singleRecordPeak(bootstrap: string, topic: string): Promise<number> {
  const producer = new Producer({ clientId: 'bench-peak', bootstrapBrokers: [bootstrap], acks: 1, autocreateTopics: false });
  const count = 3000;
  const started = performance.now();
  for (let i = 0; i < count; i += 16) {
    await Promise.all(Array.from({ length: 16 }, (_, j) => producer.send({ messages: [{ topic, key: Buffer.from(`k${i + j}`), value: Buffer.alloc(100, 1) }] })));
  }
  const rate = count / seconds(started);
  await producer.close();
  return rate;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (n: number, base: number) => Math.round((n / base) * 100) / 100;
const broker = await startBroker();
const results: { [name: string]: unknown } = {};
try {
  const { Admin } = await import('@platformatic/kafka');
  const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: [broker.bootstrap] });
  console.log(`${fmt(RECORDS)} records per workload, batches of ${BATCH}, ${IN_FLIGHT} in flight; broker in its own process`);
  for (const size of [100, 1024]) {
    const loopback = await loopbackRate(size);
    for (const partitions of [1, 8]) {
      const topic = `t-${size}-${partitions}`;
      await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
      let brokerCpu = broker.cpuSeconds();
      const clientCpu = process.cpuUsage();
      const produce = await produceRate(broker.bootstrap, topic, size);
      const clientCpuUsed = process.cpuUsage(clientCpu);
      const clientCpuPlatformatic = (clientCpuUsed.user + clientCpuUsed.system) / 1e6;
      const brokerCpuPlatformatic = broker.cpuSeconds() - brokerCpu;
      const consume = await consumeRate(broker.bootstrap, topic);
      const preTopic = `${topic}-pre-encoded`;
      await admin.createTopics({ topics: [preTopic], partitions, replicas: 1 });
      brokerCpu = broker.cpuSeconds();
      const preEncoded = await preEncodedProduceRate(broker.port, preTopic, size, partitions);
      const brokerCpuPreEncoded = broker.cpuSeconds() - brokerCpu;
      const append = await inProcessAppendRate(size, partitions);
      const name = `${size}B-${partitions}p`;
      const brokerPerCpuSecond = RECORDS / brokerCpuPreEncoded;
      results[name] = {
        produce: Math.round(produce), consume: Math.round(consume), inProcessAppend: Math.round(append.rate), loopback: Math.round(loopback), produceRatio: ratio(produce, append.rate),
        preEncodedProduce: Math.round(preEncoded), preEncodedRatio: ratio(preEncoded, append.rate),
        clientCpuSecondsPlatformatic: Number(clientCpuPlatformatic.toFixed(2)),
        brokerCpuSecondsPlatformatic: Number(brokerCpuPlatformatic.toFixed(2)), brokerCpuSecondsPreEncoded: Number(brokerCpuPreEncoded.toFixed(2)),
        inProcessAppendPerCpuSecond: Math.round(append.perCpuSecond), brokerCpuRatio: ratio(brokerPerCpuSecond, append.perCpuSecond),
      };
      console.log(`${name}: produce ${fmt(produce)} rec/s = ${ratio(produce, append.rate)} of in-process append (${fmt(append.rate)}; target >= 0.5)` +
        `${ratio(produce, append.rate) >= 0.5 ? '' : ' MISSED'}; consume ${fmt(consume)} rec/s; loopback TCP ${fmt(loopback)} rec/s`);
      console.log(`${name}: pre-encoded requests ${fmt(preEncoded)} rec/s = ${ratio(preEncoded, append.rate)} of in-process append; ` +
        `broker CPU ${brokerCpuPreEncoded.toFixed(2)} s (${brokerCpuPlatformatic.toFixed(2)} s under @platformatic/kafka, whose own CPU was ` +
        `${clientCpuPlatformatic.toFixed(2)} s) for ${fmt(RECORDS)} records = ` +
        `${fmt(brokerPerCpuSecond)} rec/CPU-s = ${ratio(brokerPerCpuSecond, append.perCpuSecond)} of in-process append per CPU-second (${fmt(append.perCpuSecond)})`);
    }
  }
  await admin.createTopics({ topics: ['latency'], partitions: 1, replicas: 1 });
  await admin.close();
  const peak = await singleRecordPeak(broker.bootstrap, 'latency');
  const times = await latencies(broker.bootstrap, 'latency', peak / 2, 2000);
  const p50 = times[Math.floor(times.length * 0.5)]!;
  const p99 = times[Math.floor(times.length * 0.99)]!;
  results['latency'] = { peakSingleRecordRate: Math.round(peak), rate: Math.round(peak / 2), p50Ms: Number(p50.toFixed(2)), p99Ms: Number(p99.toFixed(2)) };
  console.log(`single-record produce: peak ${fmt(peak)} req/s; at ${fmt(peak / 2)} req/s p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (target <= 5 ms)${p99 <= 5 ? '' : ' MISSED'}`);
  console.log(JSON.stringify({ bench: 'broker', records: RECORDS, ...results }));
} finally {
  await broker.stop();
  rmSync(root, { recursive: true, force: true });
}
