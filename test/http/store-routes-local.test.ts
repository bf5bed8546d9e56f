import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  Consumed, KafkaStreams, LogEngine, Materialized, Serdes, SessionWindows, StreamsBuilder, setLogLevel, startHttpEndpoint, windowed,
} from '../../src/index.ts';
import { toJsonValue } from '../../src/http/json-rendering.ts';
import { tempDir } from '../support/temp-dir.ts';

setLogLevel('warn');
const long = Serdes.Long();

/** Orders keyed by customer id (a Long): per-id totals, raw last payloads (Bytes) and sessions per id. */
function orders() {
  const builder = new StreamsBuilder();
  const byId = builder.stream<number, Buffer>('orders', Consumed.with(long, Serdes.Bytes())).groupByKey();
  byId.count(Materialized.as<number, number>('orders-per-id'));
  byId.reduce((_last, next) => next, Materialized.as<number, Buffer>('last-payload').withValueSerde(Serdes.Bytes()));
  byId.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10_000)).count(Materialized.as<number, number>('sessions'));
  return builder.build();
}

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function getJson(url: string): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get('retry-after') };
}

describe('/stores on one instance (no application.server: everything is local)', () => {
  it('reads Long keys with ?keySerde=long, renders Buffers as base64 and sessions as windowed keys, and answers bad requests with 400/404', async () => {
    const dir = tempDir();
    const log = await LogEngine.open({ dataDir: join(dir, 'log') });
    cleanup.push(() => log.close());
    await log.createTopic('orders', { partitions: 3 });
    await log.produce('orders', [7, 7, 8].map((id, i) => ({ key: long.serialize('orders', id), value: Buffer.from([i, 255]), timestamp: 1_000 * i, headers: [] })));
    const streams = new KafkaStreams(orders(), { 'application.id': 'orders', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 50, 'poll.ms': 10 }, { engine: log });
    const http = await startHttpEndpoint(streams, { port: 0 });
    cleanup.push(() => http.close());
    const base = `http://127.0.0.1:${http.port}`;
    expect(await getJson(`${base}/stores/orders-per-id/keys/7?keySerde=long`)).toMatchObject({ status: 503, retryAfter: '1', body: { error: 'INVALID_STATE_STORE' } });

    await streams.start();
    cleanup.push(() => streams.close());
    const deadline = Date.now() + 20_000;
    while ((await getJson(`${base}/stores/orders-per-id/keys/8?keySerde=long`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the orders to be counted');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await getJson(`${base}/stores/orders-per-id/keys/7?keySerde=long`)).body).toEqual({ key: 7, value: 2 });
    expect((await getJson(`${base}/stores/last-payload/keys/7?keySerde=long`)).body).toEqual({ key: 7, value: Buffer.from([1, 255]).toString('base64') });
    expect((await getJson(`${base}/stores/sessions/keys/7?keySerde=long`)).body).toEqual([{ key: { key: 7, start: 0, end: 1_000 }, value: 2 }]);
    expect((await getJson(`${base}/stores/sessions/keys/7?keySerde=long&from=5000&to=9000`)).body).toEqual([]);
    const all = (await getJson(`${base}/stores/orders-per-id?keySerde=long`)).body as Array<{ key: number }>;
    expect(all.map((e) => e.key).sort()).toEqual([7, 8]);
    expect((await getJson(`${base}/stores/orders-per-id?keySerde=long&from=8&to=100`)).body).toEqual([{ key: 8, value: 1 }]);
    expect((await getJson(`${base}/stores/orders-per-id?limit=1`)).body).toHaveLength(1);

    expect(await getJson(`${base}/stores/orders-per-id/keys/9?keySerde=long`)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect(await getJson(`${base}/stores/orders-per-id/keys/seven?keySerde=long`)).toMatchObject({ status: 400, body: { error: 'INVALID_ARGUMENT', message: expect.stringMatching(/"seven" is not a long key/) } });
    expect(await getJson(`${base}/stores/orders-per-id/keys/7?keySerde=uuid`)).toMatchObject({ status: 400, body: { message: expect.stringMatching(/unknown keySerde "uuid"; use one of string, long/) } });
    expect(await getJson(`${base}/stores/sessions/keys/7?keySerde=long&from=yesterday`)).toMatchObject({ status: 400, body: { message: expect.stringMatching(/\?from=yesterday: give a whole number/) } });
    expect(await getJson(`${base}/stores/order-per-id/keys/7`)).toMatchObject({ status: 404, body: { error: 'UNKNOWN_STATE_STORE' } });
  });
});

describe('toJsonValue', () => {
  it('renders what serdes produce: Buffers as base64, bigints as text, windowed keys as { key, start, end }, the rest as is', () => {
    expect(toJsonValue(Buffer.from('hi'))).toBe('aGk=');
    expect(toJsonValue(2n ** 70n)).toBe('1180591620717411303424');
    expect(toJsonValue(windowed(Buffer.from('k'), 0, 10))).toEqual({ key: 'aw==', start: 0, end: 10 });
    expect(toJsonValue({ total: 3, items: ['a'] })).toEqual({ total: 3, items: ['a'] });
    expect(toJsonValue(null)).toBeNull();
  });
});
