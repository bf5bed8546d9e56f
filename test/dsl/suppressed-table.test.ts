import { describe, expect, it } from 'vitest';
import { Consumed, StreamsBuilder, Suppressed } from '../../src/dsl/index.ts';
import { Serdes } from '../../src/serde/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import type { Topology } from '../../src/topology/index.ts';

const strings = Consumed.with(Serdes.String(), Serdes.String());
const CONFIG = { 'application.id': 'suppressed-table', 'default.key.serde': Serdes.String(), 'default.value.serde': Serdes.String() };

type Input = readonly [topic: 'left' | 'right', key: string, value: string | null, timestamp: number];

async function run(topology: Topology, inputs: readonly Input[]): Promise<string[]> {
  const driver = new TopologyTestDriver(topology, CONFIG);
  try {
    for (const [topic, key, value, timestamp] of inputs) await driver.createInputTopic(topic, Serdes.String(), Serdes.String()).pipeInput(key, value, timestamp);
    return (await driver.createOutputTopic('output', Serdes.String(), Serdes.String()).readRecordsToList()).map((r) => `${r.key}=${r.value}@${r.timestamp}`);
  } finally {
    await driver.close();
  }
}

/** `left` held back 10 s by suppress, then joined (`right.leftJoin(left)` when `suppressedOnRight`). */
function topology(suppressedOnRight: boolean): Topology {
  const builder = new StreamsBuilder();
  const held = builder.table('left', strings).suppress(Suppressed.untilTimeLimit('PT10S', Suppressed.BufferConfig.unbounded()));
  const right = builder.table('right', strings);
  (suppressedOnRight ? right.leftJoin(held, (r, l) => `${r}+${l}`) : held.join(right, (l, r) => `${l}+${r}`)).toStream().to('output');
  return builder.build();
}

describe('a suppressed table in a join', () => {
  it('joins what it emits, once the hold is over', async () => {
    const outputs = await run(topology(false), [['right', 'a', 'R', 0], ['left', 'a', 'L1', 1_000], ['left', 'z', 'x', 20_000]]);
    expect(outputs).toEqual(['a=L1+R@1000']);
  });

  it('is looked up as downstream has seen it: a held-back update is not visible yet', async () => {
    const outputs = await run(topology(true), [
      ['left', 'a', 'L1', 0], ['left', 'z', 'x', 20_000], // L1 emitted: downstream has seen it
      ['left', 'a', 'L2', 21_000], ['right', 'a', 'R', 22_000], // L2 held back: the join still sees L1
    ]);
    expect(outputs).toEqual(['a=R+L1@22000']);
  });

  it('emits a key updated again and again once its first held update is due', async () => {
    const builder = new StreamsBuilder();
    builder.table('left', strings).suppress(Suppressed.untilTimeLimit('PT10S', Suppressed.BufferConfig.unbounded())).toStream().to('output');
    const outputs = await run(builder.build(), [['left', 'a', 'L1', 0], ['left', 'a', 'L2', 6_000], ['left', 'a', 'L3', 10_000]]);
    expect(outputs).toEqual(['a=L3@10000']);
  });
});
