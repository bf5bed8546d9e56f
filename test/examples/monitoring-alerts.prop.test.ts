import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Serdes } from '../../src/serde/index.ts';
import { matchesModel, orderInsensitiveWithinGrace } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';
import { GRACE_MS, TOPICS, WINDOW_MS, buildMonitoringTopology, isAlarming } from '../../topology-examples/monitoring-alerts.ts';
import { exampleInput } from './workloads.ts';

const spec: PropertySpec = {
  topology: buildMonitoringTopology,
  ...exampleInput('monitoring-alerts'),
  outputs: { [TOPICS.alerts]: { keySerde: Serdes.String(), valueSerde: Serdes.String() } },
  observe: (result) => (result.outputs.get(TOPICS.alerts) ?? []).map((r) => r.value),
};

/** The alerts a batch job computes: per service and closed minute, the alarming ones, in closing order. */
function batchAlerts(input: InputRecord[]): string[] {
  const windows = new Map<string, { service: string; start: number; requests: number; errors: number }>();
  let streamTime = -1;
  for (const { key, value, timestamp } of input) {
    streamTime = Math.max(streamTime, timestamp);
    const start = Math.floor(timestamp / WINDOW_MS) * WINDOW_MS;
    if (start + WINDOW_MS + GRACE_MS <= streamTime) continue; // late: that minute had closed
    const id = `${key}@${start}`;
    const w = windows.get(id) ?? { service: key as string, start, requests: 0, errors: 0 };
    windows.set(id, { ...w, requests: w.requests + 1, errors: w.errors + (value === 'error' ? 1 : 0) });
  }
  // A minute is reported only once closed; keys in store order within a closing time (by service).
  return [...windows.values()]
    .filter((w) => w.start + WINDOW_MS + GRACE_MS <= streamTime && isAlarming(w))
    .sort((a, b) => a.start - b.start || a.service.localeCompare(b.service))
    .map((w) => `${w.service}: ${w.errors} of ${w.requests} requests failed in the minute from ${new Date(w.start).toISOString()}`);
}

describe('monitoring-alerts example (properties)', () => {
  it('generates inputs that do raise alerts (so the properties below are not vacuous)', () => {
    const samples = fc.sample(exampleInput('monitoring-alerts').input, { numRuns: 30, seed: 130 });
    expect(samples.filter((input) => batchAlerts(input).length > 0).length).toBeGreaterThan(5);
  });

  it('raises exactly the alerts a batch computation over the closed minutes finds', async () => {
    await matchesModel({ ...spec, model: batchAlerts }, { numRuns: 40, seed: 131 });
  });

  it('events reordered within the grace period raise the same alerts', async () => {
    await orderInsensitiveWithinGrace({ ...spec, graceMs: GRACE_MS, observe: (result) => (result.outputs.get(TOPICS.alerts) ?? []).map((r) => r.value).sort() }, { numRuns: 30, seed: 132 });
  });
});
