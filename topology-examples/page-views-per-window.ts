/**
 * Page views per user in 5-minute windows that hop every minute, final results only: each
 * window's count is emitted once, when the window has closed (its end plus one minute of grace
 * has passed in stream time), thanks to `suppress(untilWindowCloses)`. Input `page-views`
 * (user → page), output `page-views-per-window` (`[user@start/end]` → count).
 *
 * Run it on sample views with `npx tsx topology-examples/page-views-per-window.ts`, or as an
 * application with `npx kstreams run topology-examples/page-views-per-window.ts`.
 */
import { pathToFileURL } from 'node:url';
import { BufferConfig, Consumed, Materialized, Produced, Serdes, StreamsBuilder, Suppressed, TimeWindows, WindowedSerdes } from 'kstreams';
import type { Topology, Windowed } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';

export const VIEWS_TOPIC = 'page-views';
export const COUNTS_TOPIC = 'page-views-per-window';
export const WINDOW = TimeWindows.ofSizeAndGrace('PT5M', 'PT1M').advanceBy('PT1M');
export const windowedUserSerde = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), WINDOW.size());

/** page-views → groupByKey → hopping 5-min windows → count → final results → page-views-per-window. */
export function buildPageViewsTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>(VIEWS_TOPIC, Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .windowedBy(WINDOW)
    .count(Materialized.as<string, number>('page-views-per-window-store'))
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
    .toStream()
    .to(COUNTS_TOPIC, Produced.with(windowedUserSerde, Serdes.Long()));
  return builder.build();
}

/** A page view: who viewed what, and when (ms). */
export interface PageView {
  readonly user: string;
  readonly page: string;
  readonly at: number;
}

/** Runs views through the topology in the test driver and returns the final counts, in emission order. */
export async function finalWindowCounts(views: readonly PageView[]): Promise<Array<{ window: Windowed<string>; count: number }>> {
  const driver = new TopologyTestDriver(buildPageViewsTopology(), { 'application.id': 'page-views' });
  try {
    const input = driver.createInputTopic(VIEWS_TOPIC, Serdes.String(), Serdes.String());
    for (const view of views) await input.pipeInput(view.user, view.page, view.at);
    const output = await driver.createOutputTopic(COUNTS_TOPIC, windowedUserSerde, Serdes.Long()).readKeyValuesToList();
    return output.map(({ key, value }) => ({ window: key!, count: value! }));
  } finally {
    await driver.close();
  }
}

export default function pageViewsApp() {
  return { applicationId: 'page-views-per-window', topology: buildPageViewsTopology() };
}

export async function main(): Promise<void> {
  const minute = 60_000;
  const views: PageView[] = [
    { user: 'ann', page: '/home', at: 0 }, { user: 'ann', page: '/cart', at: 2 * minute }, { user: 'bob', page: '/home', at: 3 * minute },
    { user: 'ann', page: '/pay', at: 6 * minute }, { user: 'bob', page: '/help', at: 30 * minute },
  ];
  console.log(buildPageViewsTopology().describe().toString());
  for (const { window, count } of await finalWindowCounts(views)) console.log(`${String(window)}\t${count}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
