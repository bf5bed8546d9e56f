import { describe, expect, it } from 'vitest';
import { Serdes } from '../../src/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { clicksTopology, find, valueOf } from './support/clicks-app.ts';

describe('TopologyTestDriver.metrics()', () => {
  it('counts dropped late records and, at DEBUG, processed records per task, on the driver\'s clock', async () => {
    const driver = new TopologyTestDriver(clicksTopology(), { 'metrics.recording.level': 'DEBUG' }, 100_000);
    try {
      const clicks = driver.createInputTopic('clicks', Serdes.String(), Serdes.String());
      for (const timestamp of [1, 14, 2, 15, 3]) await clicks.pipeInput('a', 'x', timestamp);
      const metrics = driver.metrics();
      expect(find(metrics, 'stream-task-metrics', 'dropped-records-total')).toEqual([{ tags: { 'thread-id': 'main', 'task-id': '0_0' }, value: 1 }]);
      expect(valueOf(metrics, 'stream-task-metrics', 'process-total')).toBe(5);
      expect(valueOf(metrics, 'stream-task-metrics', 'record-lateness-max')).toBe(12);
      // End-to-end latency against the driver's wall clock (100,000 ms): the oldest record is 1 ms.
      const sourceLatency = find(metrics, 'stream-processor-node-metrics', 'record-e2e-latency-max').find((m) => m.tags['processor-node-id'] === 'KSTREAM-SOURCE-0000000000');
      expect(sourceLatency?.value).toBe(100_000 - 1);
      // Two sample windows (2 × 30 s) later, the earlier records no longer count.
      await driver.advanceWallClockTime(60_000);
      await clicks.pipeInput('a', 'x', 16);
      const after = find(driver.metrics(), 'stream-processor-node-metrics', 'record-e2e-latency-max').find((m) => m.tags['processor-node-id'] === 'KSTREAM-SOURCE-0000000000');
      expect(after?.value).toBe(160_000 - 16);
      expect(valueOf(driver.metrics(), 'stream-task-metrics', 'process-total')).toBe(6);
    } finally {
      await driver.close();
    }
  });

  it('registers the DEBUG sensors at INFO but records nothing in them, as Kafka\'s driver', async () => {
    const driver = new TopologyTestDriver(clicksTopology());
    try {
      await driver.createInputTopic('clicks', Serdes.String(), Serdes.String()).pipeInput('a', 'x', 1);
      expect(valueOf(driver.metrics(), 'stream-task-metrics', 'process-total')).toBe(0);
      expect(valueOf(driver.metrics(), 'stream-record-cache-metrics', 'hit-ratio-avg')).toBeNaN();
    } finally {
      await driver.close();
    }
  });
});
