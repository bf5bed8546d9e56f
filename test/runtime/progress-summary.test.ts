import { afterEach, describe, expect, it } from 'vitest';
import { setLogSink } from '../../src/index.ts';
import type { LogSink } from '../../src/index.ts';
import type { Cluster } from '../../src/client/index.ts';
import { ProgressSummary } from '../../src/runtime/progress-summary.ts';

const cluster = (latest: number, fails = false) => ({
  offsets: async () => {
    if (fails) throw new Error('unreachable');
    return { earliest: 0, latest };
  },
}) as unknown as Cluster;

describe('ProgressSummary', () => {
  let previous: LogSink | undefined;
  const lines: string[] = [];
  afterEach(() => {
    if (previous !== undefined) setLogSink(previous);
    lines.length = 0;
  });

  it('logs records, rate, commits and lag once per interval, and nothing before', async () => {
    previous = setLogSink((level, component, message) => void lines.push(`${level} [${component}] ${message}`));
    const summary = new ProgressSummary(60_000, 0);
    summary.recordProcessed(1_000);
    summary.recordCommit();
    await summary.maybeLog(59_999, cluster(500), () => [{ topic: 'in', partition: 0, position: 100 }]);
    expect(lines).toEqual([]);
    summary.recordProcessed(59_000);
    summary.recordCommit();
    await summary.maybeLog(60_000, cluster(500), () => [{ topic: 'in', partition: 0, position: 100 }, { topic: 'in', partition: 1, position: 490 }]);
    expect(lines).toEqual(['info [runtime] processed 60,000 records (1,000/s) and committed 2 times in the last 60 s; lag 410 records on 2 input partitions']);
    await summary.maybeLog(120_000, cluster(0, true), () => [{ topic: 'in', partition: 0, position: 1 }]);
    expect(lines[1]).toBe('info [runtime] processed 0 records (0/s) and committed 0 times in the last 60 s; lag unknown (the cluster did not answer)');
  });

  it('stays silent with an interval of 0', async () => {
    previous = setLogSink((level, component, message) => void lines.push(message));
    await new ProgressSummary(0, 0).maybeLog(1e9, cluster(5), () => []);
    expect(lines).toEqual([]);
  });
});
