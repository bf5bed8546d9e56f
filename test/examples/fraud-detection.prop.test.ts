import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Serdes } from '../../src/serde/index.ts';
import { matchesModel, orderInsensitiveWithinGrace, partitionCountIndependent, restartIndependent } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec, RunResult } from '../../src/testing/index.ts';
import { LIMIT_CENTS, TOPICS, buildFraudDetectionTopology } from '../../topology-examples/fraud-detection.ts';
import { exampleInput } from './workloads.ts';

const TEN_MINUTES = 10 * 60_000;

/** The highest 10-minute spend each alerted card reached, read from its alerts ("card spent 1234.56 between ..."). */
function highestAlertedSpend(result: RunResult): { [card: string]: number } {
  const highest: { [card: string]: number } = {};
  for (const { key, value } of result.outputs.get(TOPICS.alerts) ?? []) {
    const cents = Math.round(Number(/spent (\d+\.\d\d)/.exec(String(value))![1]) * 100);
    highest[String(key)] = Math.max(highest[String(key)] ?? 0, cents);
  }
  return highest;
}

/**
 * The batch version: a card's highest spend over any 10 minutes is the highest total of the
 * transactions in `[t - 10 min, t]` over its transactions' times t; the card is alerted when that
 * is over the limit.
 */
function highestSpendOverLimit(input: InputRecord[]): { [card: string]: number } {
  const over: { [card: string]: number } = {};
  for (const { key, timestamp } of input) {
    const total = input.filter((r) => r.key === key && r.timestamp <= timestamp && r.timestamp >= timestamp - TEN_MINUTES).reduce((sum, r) => sum + (r.value as number), 0);
    if (total > LIMIT_CENTS) over[String(key)] = Math.max(over[String(key)] ?? 0, total);
  }
  return over;
}

const spec: PropertySpec = {
  topology: buildFraudDetectionTopology,
  ...exampleInput('fraud-detection'),
  outputs: { [TOPICS.alerts]: { keySerde: Serdes.String(), valueSerde: Serdes.String() } },
  observe: highestAlertedSpend,
};

describe('fraud-detection example (properties)', () => {
  it('generates inputs that do raise alerts (so the properties below are not vacuous)', () => {
    const samples = fc.sample(exampleInput('fraud-detection').input, { numRuns: 30, seed: 170 });
    expect(samples.filter((input) => Object.keys(highestSpendOverLimit(input)).length > 0).length).toBeGreaterThan(5);
  });

  it('alerts exactly the cards whose spend over some 10 minutes is over the limit, at their highest spend', async () => {
    await matchesModel({ ...spec, model: highestSpendOverLimit }, { numRuns: 40, seed: 171 });
  });

  it('raises the same alerts, in the same order per card, over 1, 2 or 4 partitions', async () => {
    await partitionCountIndependent({ ...spec, observe: (result) => {
      const perCard: { [card: string]: unknown[] } = {};
      for (const { key, value } of result.outputs.get(TOPICS.alerts) ?? []) (perCard[String(key)] ??= []).push(value);
      return perCard;
    } }, { numRuns: 25, seed: 172 });
  });

  it('survives restarts, and transactions reordered within the 30 s grace reach the same highest spend', async () => {
    await restartIndependent(spec, { numRuns: 25, seed: 173 });
    await orderInsensitiveWithinGrace({ ...spec, graceMs: 30_000 }, { numRuns: 25, seed: 174 });
  });
});
