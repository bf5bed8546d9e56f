import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Serdes } from '../../src/serde/index.ts';
import { keyedEvents, matchesModel, orderInsensitiveWithinGrace, partitionCountIndependent } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';
import { COUNTS_TOPIC, WINDOW, buildPageViewsTopology, windowedUserSerde } from '../../topology-examples/page-views-per-window.ts';
import { CLICKS_TOPIC, SESSIONS_TOPIC, buildUserSessionsTopology, sessionKeySerde } from '../../topology-examples/user-sessions.ts';
import { exampleInput } from './workloads.ts';

const minute = 60_000;
const pageViews: PropertySpec = {
  topology: buildPageViewsTopology,
  ...exampleInput('page-views-per-window'),
  outputs: { [COUNTS_TOPIC]: { keySerde: windowedUserSerde, valueSerde: Serdes.Long() } },
};

describe('activity tracking examples (properties)', () => {
  it('generates inputs with closed windows (so the page-view properties are not vacuous)', () => {
    const samples = fc.sample(exampleInput('page-views-per-window').input, { numRuns: 30, seed: 140 });
    expect(samples.filter((input) => input.length > 0 && Math.max(...input.map((r) => r.timestamp)) > 6 * minute).length).toBeGreaterThan(10);
  });

  it('page views: each closed window once, with the count of all its views', async () => {
    await matchesModel({
      ...pageViews,
      observe: (result) => Object.fromEntries((result.outputs.get(COUNTS_TOPIC) ?? []).map((r) => [String(r.key), r.value])),
      model: (input: InputRecord[]) => {
        // Jitter stays within the one minute of grace, so no view is late; a window is final once closed.
        const streamTime = Math.max(-1, ...input.map((r) => r.timestamp));
        const counts: { [window: string]: number } = {};
        for (const { key, timestamp } of input) {
          for (const { start, end } of WINDOW.windowsFor(timestamp)) {
            if (end + WINDOW.gracePeriodMs() <= streamTime) counts[`[${key}@${start}/${end}]`] = (counts[`[${key}@${start}/${end}]`] ?? 0) + 1;
          }
        }
        return counts;
      },
    }, { numRuns: 30, seed: 141 });
  });

  it('page views: reordering within grace changes no final count', async () => {
    await orderInsensitiveWithinGrace({ ...pageViews, graceMs: WINDOW.gracePeriodMs() }, { numRuns: 20, seed: 142 });
  });

  it('sessions: the live sessions are the same over 1, 2 and 4 partitions', async () => {
    await partitionCountIndependent({
      topology: buildUserSessionsTopology,
      input: keyedEvents({ topic: CLICKS_TOPIC, keys: ['ann', 'bob', 'cy'], values: fc.constantFrom('/a', '/b'), maxStepMs: 20 * minute }),
      inputs: { [CLICKS_TOPIC]: { keySerde: Serdes.String(), valueSerde: Serdes.String() } },
      outputs: { [SESSIONS_TOPIC]: { keySerde: sessionKeySerde, valueSerde: Serdes.Json() } },
      config: { 'statestore.cache.max.bytes': 0 },
    }, { numRuns: 20, seed: 143 });
  });
});
