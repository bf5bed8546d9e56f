/**
 * A fraud rule over a sliding window: for each card, the spend of any 10 minutes of transactions
 * (sliding windows: every window that starts or ends at a transaction) is summed, and every
 * update of a window whose total is over 1,000.00 raises a `fraud-alerts` record naming the card,
 * the amount and the window. Caching is off so each transaction is judged at once.
 *
 * Run it with `npx tsx topology-examples/fraud-detection.ts` or `npx kstreams run topology-examples/fraud-detection.ts`.
 */
import { pathToFileURL } from 'node:url';
import { Consumed, Materialized, Produced, Serdes, SlidingWindows, StreamsBuilder } from 'kstreams';
import type { Topology } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';

export const TOPICS = { transactions: 'card-transactions', alerts: 'fraud-alerts' } as const;
export const LIMIT_CENTS = 100_000;

export function buildFraudDetectionTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, number>(TOPICS.transactions, Consumed.with(Serdes.String(), Serdes.Long()))
    .groupByKey()
    .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace('PT10M', 'PT30S'))
    .aggregate(() => 0, (_card, cents, total) => total + cents, Materialized.as<string, number>('spend-per-10-minutes').withValueSerde(Serdes.Long()).withCachingDisabled())
    .toStream()
    .filter((_window, total) => total !== null && total > LIMIT_CENTS)
    .map((window, total) => [window.key, `card spent ${(total / 100).toFixed(2)} between ${window.window.start} and ${window.window.end}`])
    .to(TOPICS.alerts, Produced.with(Serdes.String(), Serdes.String()));
  return builder.build();
}

export async function fraudAlerts(transactions: ReadonlyArray<readonly [string, number, number]>): Promise<Array<{ card: string; alert: string }>> {
  const driver = new TopologyTestDriver(buildFraudDetectionTopology(), { 'application.id': 'fraud-detection' });
  try {
    const input = driver.createInputTopic(TOPICS.transactions, Serdes.String(), Serdes.Long());
    for (const [card, cents, at] of transactions) await input.pipeInput(card, cents, at);
    return (await driver.createOutputTopic(TOPICS.alerts, Serdes.String(), Serdes.String()).readKeyValuesToList()).map(({ key, value }) => ({ card: key!, alert: value! }));
  } finally {
    await driver.close();
  }
}

export default function fraudDetectionApp() {
  return { applicationId: 'fraud-detection', topology: buildFraudDetectionTopology() };
}

export async function main(): Promise<void> {
  const minute = 60_000;
  const alerts = await fraudAlerts([
    ['card-1', 40_000, 0], ['card-2', 90_000, minute], ['card-1', 45_000, 3 * minute], ['card-1', 30_000, 9 * minute], ['card-2', 20_000, 20 * minute],
  ]);
  for (const { card, alert } of alerts) console.log(`${card}\t${alert}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
