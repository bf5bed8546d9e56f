/**
 * A small application for state tests on the embedded engine: per-user sums of order amounts
 * (orders: user → Long amount) in a LevelDB store "totals", written to the topic "totals". A
 * reader of "totals" ends with each user's sum, so lost or re-applied state shows as a wrong sum.
 */
import { join } from 'node:path';
import { Consumed, KafkaStreams, LogEngine, Materialized, Produced, Serdes, StreamsBuilder } from '../../../src/index.ts';

const str = Serdes.String();
const long = Serdes.Long();
export const USERS = 13;
export const PARTITIONS = 2;

export function totalsTopology() {
  const builder = new StreamsBuilder();
  builder
    .stream<string, number>('orders', Consumed.with(str, long))
    .groupByKey()
    .aggregate(() => 0, (_u, amount, total) => total + amount, Materialized.as<string, number>('totals').withValueSerde(long))
    .toStream()
    .to('totals', Produced.with(str, long));
  return builder.build();
}

export function totalsConfig(dir: string, extra: { [key: string]: unknown } = {}) {
  return { 'application.id': 'sums', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 30, 'poll.ms': 5, ...extra };
}

/** Orders number `from` up to `to` (exclusive): user = n % USERS, amount = n % 7 + 1. */
export async function produceOrders(log: LogEngine, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 500) {
    const end = Math.min(start + 500, to);
    await log.produce('orders', Array.from({ length: end - start }, (_, i) => ({
      key: Buffer.from(`user-${(start + i) % USERS}`), value: long.serialize('orders', ((start + i) % 7) + 1), timestamp: start + i, headers: [],
    })));
  }
}

/** What every user's sum must be after orders 0 up to `count`. */
export function expectedTotals(count: number): Map<string, number> {
  const totals = new Map<string, number>();
  for (let n = 0; n < count; n++) totals.set(`user-${n % USERS}`, (totals.get(`user-${n % USERS}`) ?? 0) + (n % 7) + 1);
  return totals;
}

/** The latest total per user in the "totals" topic. */
export async function latestTotals(log: LogEngine): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (let p = 0; p < PARTITIONS; p++) {
    const { latest } = await log.listOffsets('totals', p);
    for (let offset = 0; offset < latest; ) {
      const page = await log.fetch('totals', p, offset);
      for (const r of page) totals.set(r.key!.toString(), long.deserialize('totals', r.value)!);
      offset = page[page.length - 1]!.offset + 1;
    }
  }
  return totals;
}

/** Resolves once the application committed every order (or rejects after 30 s). */
export async function waitForCommitted(log: LogEngine, applicationId = 'sums'): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const committed = new Map((await log.fetchOffsets(applicationId)).map((c) => [c.partition, c.offset]));
    let behind = 0;
    for (let p = 0; p < PARTITIONS; p++) behind += (await log.listOffsets('orders', p)).latest - (committed.get(p) ?? 0);
    if (behind === 0) return;
    if (Date.now() > deadline) throw new Error(`${behind} orders still not committed after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function openTotalsLog(dir: string, create: boolean): Promise<LogEngine> {
  const log = await LogEngine.open({ dataDir: join(dir, 'log') });
  if (create) {
    await log.createTopic('orders', { partitions: PARTITIONS });
    await log.createTopic('totals', { partitions: PARTITIONS });
  }
  return log;
}

export { KafkaStreams };
