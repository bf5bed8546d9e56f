import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Consumed, KafkaStreams, LogEngine, Materialized, Produced, Serdes, StreamsBuilder, isStreamsError, setLogLevel, setLogSink } from '../../src/index.ts';
import type { LogLevel } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';

const str = Serdes.String();
const long = Serdes.Long();
// The warnings are the behaviour under test, whatever KSTREAMS_LOG_LEVEL says.
setLogLevel('warn');
let warnings: string[] = [];
setLogSink((level: LogLevel, _category, message) => void (level === 'warn' && warnings.push(message)));
afterEach(() => {
  warnings = [];
});

interface Order {
  amount: number;
}

/**
 * Per-user sums of order amounts in a Long store. An order whose amount is not a number decodes
 * fine (it is valid JSON) but makes the sum a string, which the store's Long serde refuses.
 */
function sums(sinkOf: 'total' | 'amount' = 'total') {
  const builder = new StreamsBuilder();
  const orders = builder.stream<string, Order>('orders', Consumed.with(str, Serdes.Json<Order>()));
  if (sinkOf === 'amount') {
    orders.mapValues((order) => order.amount).to('amounts', Produced.with(str, long));
    return builder.build();
  }
  orders
    .groupByKey()
    .aggregate(() => 0, (_user, order, total) => total + order.amount, Materialized.as<string, number>('sums').withValueSerde(long))
    .toStream()
    .to('totals', Produced.with(str, long));
  return builder.build();
}

const ORDERS = 300;
const POISON_AT = 200;
/** Order n: user n % 5, amount n % 9 + 1; order POISON_AT has the amount "lots". */
function orderValue(n: number): string {
  return n === POISON_AT ? '{"amount":"lots"}' : JSON.stringify({ amount: (n % 9) + 1 });
}

function expectedSums(skipPoison: 'before-poison' | 'all-but-poison'): Map<string, number> {
  const totals = new Map<string, number>();
  const end = skipPoison === 'before-poison' ? POISON_AT : ORDERS;
  for (let n = 0; n < end; n++) if (n !== POISON_AT) totals.set(`user-${n % 5}`, (totals.get(`user-${n % 5}`) ?? 0) + (n % 9) + 1);
  return totals;
}

async function setUp(output: string) {
  const dir = tempDir();
  const log = await LogEngine.open({ dataDir: join(dir, 'log') });
  await log.createTopic('orders');
  await log.createTopic(output);
  await log.produce('orders', Array.from({ length: ORDERS }, (_, n) => ({ key: Buffer.from(`user-${n % 5}`), value: Buffer.from(orderValue(n)), timestamp: n, headers: [] })));
  return { dir, log };
}

/** The latest value per key in `topic` (one partition). */
async function latest(log: LogEngine, topic: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const { latest: end } = await log.listOffsets(topic, 0);
  for (let offset = 0; offset < end; ) {
    const page = await log.fetch(topic, 0, offset);
    for (const r of page) out.set(r.key!.toString(), long.deserialize(topic, r.value)!);
    offset = page[page.length - 1]!.offset + 1;
  }
  return out;
}

async function committed(log: LogEngine): Promise<number | undefined> {
  return (await log.fetchOffsets('poison')).find((c) => c.topic === 'orders')?.offset;
}

/** Starts the application and resolves with the error it stops on. */
async function runUntilFailure(dir: string, log: LogEngine, config: { [key: string]: unknown } = {}, sinkOf?: 'amount'): Promise<unknown> {
  const streams = new KafkaStreams(sums(sinkOf), { 'application.id': 'poison', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 10_000, 'poll.ms': 5, ...config }, { engine: log });
  let failure: unknown;
  const failed = new Promise<void>((resolve) => streams.setUncaughtExceptionHandler((error) => {
    failure = error;
    resolve();
    return 'SHUTDOWN_CLIENT';
  }));
  const stopped = new Promise<void>((resolve) => streams.onStateChange((next) => next === 'ERROR' && resolve()));
  await streams.start();
  await failed;
  await stopped;
  return failure;
}

async function runToEnd(dir: string, log: LogEngine, config: { [key: string]: unknown }, sinkOf?: 'amount'): Promise<void> {
  const streams = new KafkaStreams(sums(sinkOf), { 'application.id': 'poison', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 5, ...config }, { engine: log });
  await streams.start();
  const deadline = Date.now() + 20_000;
  while ((await committed(log)) !== ORDERS) {
    if (Date.now() > deadline) throw new Error('the orders were not all committed within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await streams.close();
}

describe('a poison record: it decodes, but what the topology makes of it cannot be serialized', () => {
  it('with logAndFail: stops the task naming the input record, and restarts add nothing to the sums', async () => {
    const { dir, log } = await setUp('totals');
    for (let start = 1; start <= 3; start++) {
      const error = await runUntilFailure(dir, log);
      expect(isStreamsError(error, 'SERIALIZATION_ERROR')).toBe(true);
      expect((error as Error).message).toContain(`the record at topic "orders" partition 0 offset ${POISON_AT}`);
      expect((error as { location?: object }).location).toEqual({ topic: 'orders', partition: 0, offset: POISON_AT });
      // The records before the poison count once, however often the application is started.
      expect(await latest(log, 'poison-sums-changelog')).toEqual(expectedSums('before-poison'));
      expect(await latest(log, 'totals')).toEqual(expectedSums('before-poison'));
      expect(await committed(log)).toBe(POISON_AT);
    }
    await log.close();
  }, 60_000);

  it('with logAndContinue: skips it with a warning naming it, sums the rest, and a restart adds nothing', async () => {
    const { dir, log } = await setUp('totals');
    await runToEnd(dir, log, { 'production.exception.handler': 'logAndContinue' });
    expect(await latest(log, 'totals')).toEqual(expectedSums('all-but-poison'));
    expect(warnings.filter((w) => w.includes(`offset ${POISON_AT}`) && w.includes('Serdes.Long()'))).toHaveLength(1);
    await runToEnd(dir, log, { 'production.exception.handler': 'logAndContinue' });
    expect(await latest(log, 'totals')).toEqual(expectedSums('all-but-poison'));
    await log.close();
  }, 60_000);

  it('going to a sink: fails naming the input record, or is skipped under Kafka\'s older key default.production.exception.handler', async () => {
    const failing = await setUp('amounts');
    const error = await runUntilFailure(failing.dir, failing.log, {}, 'amount');
    expect(isStreamsError(error, 'SERIALIZATION_ERROR')).toBe(true);
    expect((error as Error).message).toContain(`topic "orders" partition 0 offset ${POISON_AT}`);
    expect(await committed(failing.log)).toBe(POISON_AT);
    await failing.log.close();

    const skipping = await setUp('amounts');
    await runToEnd(skipping.dir, skipping.log, { 'default.production.exception.handler': 'logAndContinue' }, 'amount');
    expect((await skipping.log.listOffsets('amounts', 0)).latest).toBe(ORDERS - 1);
    await skipping.log.close();
  }, 60_000);
});
