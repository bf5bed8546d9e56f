import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/runtime/streams-config.ts';

const base = { 'application.id': 'guarantees' };

describe('processing.guarantee', () => {
  it('is at_least_once by default, committing every 30 s', () => {
    const config = resolveConfig(base);
    expect(config.processingGuarantee).toBe('at_least_once');
    expect(config.commitIntervalMs).toBe(30_000);
  });

  it('exactly_once_v2 commits every 100 ms unless commit.interval.ms says otherwise', () => {
    expect(resolveConfig({ ...base, 'processing.guarantee': 'exactly_once_v2' })).toMatchObject({ processingGuarantee: 'exactly_once_v2', commitIntervalMs: 100 });
    expect(resolveConfig({ ...base, 'processing.guarantee': 'exactly_once_v2', 'commit.interval.ms': '1000' }).commitIntervalMs).toBe(1_000);
  });

  it('refuses the names Kafka Streams 4 removed, saying what to write instead', () => {
    expect(() => resolveConfig({ ...base, 'processing.guarantee': 'exactly_once' })).toThrow(/"exactly_once" is not supported: .*use "exactly_once_v2"/);
    expect(() => resolveConfig({ ...base, 'processing.guarantee': 'exactly_once_beta' })).toThrow(/old name of "exactly_once_v2"/);
    expect(() => resolveConfig({ ...base, 'processing.guarantee': 'at_most_once' })).toThrow(/must be "at_least_once" or "exactly_once_v2", got "at_most_once"/);
  });
});
