import { describe, expect, it } from 'vitest';
import { MetricsRegistry, SampledStats, metricsSettingsOf, recordingLevelOf } from '../../src/metrics/index.ts';
import { isStreamsError } from '../../src/index.ts';

const config = { windowMs: 30_000, samples: 2 };

describe('SampledStats (Kafka\'s sampled windows: 2 × 30 s)', () => {
  it('computes a rate over at least one full window right after start, as Kafka\'s Rate', () => {
    const stats = new SampledStats(config, 0);
    for (let i = 0; i < 60; i++) stats.record(1, 1_000);
    // 60 events 1 s after start: elapsed is padded to (samples - 1) windows + 1 s = 31 s.
    expect(stats.countRate(1_000)).toBeCloseTo(60 / 31, 6);
    expect(stats.count).toBe(60);
  });

  it('forgets windows older than samples × window, but keeps the totals', () => {
    const stats = new SampledStats(config, 0);
    stats.record(10, 1_000);
    stats.record(30, 31_000);
    expect(stats.avg(31_000)).toBe(20);
    expect(stats.max(31_000)).toBe(30);
    expect(stats.min(31_000)).toBe(10);
    // At 61 s the first window (started at 0) is older than 60 s: only the value 30 remains.
    expect(stats.avg(61_000)).toBe(30);
    expect(stats.sum).toBe(40);
    // Nothing recorded for two full windows: averages are NaN, rates 0, totals unchanged.
    expect(stats.avg(200_000)).toBeNaN();
    expect(stats.max(200_000)).toBeNaN();
    expect(stats.countRate(200_000)).toBe(0);
    expect(stats.count).toBe(2);
  });

  it('a sum rate adds up the recorded values (records per second of a thread)', () => {
    const stats = new SampledStats(config, 0);
    stats.record(500, 10_000);
    stats.record(1_500, 20_000);
    expect(stats.sumRate(40_000)).toBeCloseTo(2_000 / 40, 6);
  });
});

describe('the registry', () => {
  it('reads the recording level and the sample settings from the config, and rejects unknown levels', () => {
    expect(metricsSettingsOf({}).recordingLevel).toBe('INFO');
    expect(metricsSettingsOf({ 'metrics.recording.level': 'debug', 'metrics.sample.window.ms': 1000, 'metrics.num.samples': 3 }))
      .toMatchObject({ recordingLevel: 'DEBUG', sample: { windowMs: 1000, samples: 3 } });
    let error: unknown;
    try {
      recordingLevelOf('VERBOSE');
    } catch (e) {
      error = e;
    }
    expect(isStreamsError(error, 'INVALID_CONFIG')).toBe(true);
    expect((error as Error).message).toContain('metrics.recording.level');
  });

  it('registers rate/total and avg/max under the owner\'s group and tags, and removes them by tag', () => {
    let now = 0;
    const registry = new MetricsRegistry({ ...metricsSettingsOf({}), nowMs: () => now });
    const stats = registry.newStats();
    const owner = { group: 'stream-task-metrics', tags: { 'thread-id': 't', 'task-id': '0_0' } };
    registry.addRateAndTotal(stats, owner, 'dropped-records', 'dropped records');
    registry.addAvgMax(stats, owner, 'record-lateness', 'lateness');
    now = 1_000;
    stats.record(4, now);
    const values = new Map(registry.metrics().map((metric) => [metric.name, metric.value]));
    expect(values).toEqual(new Map<string, number>([
      ['dropped-records-rate', 1 / 31], ['dropped-records-total', 1], ['record-lateness-avg', 4], ['record-lateness-max', 4],
    ]));
    expect(registry.metrics().every((name) => name.tags['task-id'] === '0_0' && name.description !== '')).toBe(true);
    registry.removeTagged({ 'task-id': '0_0' });
    expect(registry.metrics()).toHaveLength(0);
    expect(registry.records('DEBUG')).toBe(false);
    expect(registry.records('INFO')).toBe(true);
  });
});
