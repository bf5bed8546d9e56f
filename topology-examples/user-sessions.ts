/**
 * User sessions from click events: clicks closer than 30 minutes belong to one session, and a
 * click that bridges two sessions merges them. Each session's state — click count and pages, in
 * order — goes to `user-sessions` keyed `[user@first/last]`; when sessions merge, the merged-away
 * ones are retracted with a tombstone (null), so a consumer keeping the latest value per key sees
 * exactly the live sessions.
 *
 * Run it with `npx tsx topology-examples/user-sessions.ts` or `npx kstreams run topology-examples/user-sessions.ts`.
 */
import { pathToFileURL } from 'node:url';
import { Consumed, Materialized, Produced, Serdes, SessionWindows, StreamsBuilder, WindowedSerdes } from 'kstreams';
import type { Topology } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';

export const CLICKS_TOPIC = 'clicks';
export const SESSIONS_TOPIC = 'user-sessions';
export const INACTIVITY_GAP = 'PT30M';

/** A session's summary. */
export interface SessionSummary {
  readonly clicks: number;
  readonly pages: readonly string[];
}

const summarySerde = Serdes.Json<SessionSummary>();
export const sessionKeySerde = WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String());

export function buildUserSessionsTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>(CLICKS_TOPIC, Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .windowedBy(SessionWindows.ofInactivityGapAndGrace(INACTIVITY_GAP, 'PT5M'))
    .aggregate<SessionSummary>(
      () => ({ clicks: 0, pages: [] }),
      (_user, page, session) => ({ clicks: session.clicks + 1, pages: [...session.pages, page] }),
      (_user, a, b) => ({ clicks: a.clicks + b.clicks, pages: [...a.pages, ...b.pages] }),
      Materialized.as<string, SessionSummary>('user-sessions-store').withValueSerde(summarySerde),
    )
    .toStream()
    .to(SESSIONS_TOPIC, Produced.with(sessionKeySerde, summarySerde));
  return builder.build();
}

/** The live sessions after `clicks` (user, page, time), as `[user@start/end]` → summary. */
export async function liveSessions(clicks: ReadonlyArray<readonly [string, string, number]>): Promise<Map<string, SessionSummary>> {
  const driver = new TopologyTestDriver(buildUserSessionsTopology(), { 'application.id': 'user-sessions', 'statestore.cache.max.bytes': 0 });
  try {
    const input = driver.createInputTopic(CLICKS_TOPIC, Serdes.String(), Serdes.String());
    for (const [user, page, at] of clicks) await input.pipeInput(user, page, at);
    const live = new Map<string, SessionSummary>();
    for (const { key, value } of await driver.createOutputTopic(SESSIONS_TOPIC, sessionKeySerde, summarySerde).readKeyValuesToList()) {
      if (value === null) live.delete(String(key));
      else live.set(String(key), value);
    }
    return live;
  } finally {
    await driver.close();
  }
}

export default function userSessionsApp() {
  return { applicationId: 'user-sessions', topology: buildUserSessionsTopology() };
}

export async function main(): Promise<void> {
  const minute = 60_000;
  const sessions = await liveSessions([
    ['ann', '/home', 0], ['ann', '/cart', 10 * minute], ['bob', '/home', 12 * minute], ['ann', '/home', 90 * minute], ['ann', '/pay', 45 * minute],
  ]);
  for (const [session, summary] of sessions) console.log(`${session}\t${summary.clicks} clicks: ${summary.pages.join(' → ')}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
