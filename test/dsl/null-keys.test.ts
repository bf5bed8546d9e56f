import { describe, expect, it } from 'vitest';
import { Consumed, StreamsBuilder } from '../../src/dsl/index.ts';
import { Serdes } from '../../src/serde/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import type { Topology } from '../../src/topology/index.ts';

/** Null keys as Kafka Streams 4.x treats them (KIP-962), around repartition topics and joins. */

const strings = Consumed.with(Serdes.String(), Serdes.String());
const CONFIG = { 'application.id': 'null-keys', 'statestore.cache.max.bytes': 0, 'default.key.serde': Serdes.String(), 'default.value.serde': Serdes.String() };
const NO_KEY = null as unknown as string;

type Input = readonly [topic: string, key: string | null, value: string | null];

async function run(topology: Topology, inputs: readonly Input[]): Promise<string[]> {
  const driver = new TopologyTestDriver(topology, CONFIG);
  try {
    let time = 0;
    for (const [topic, key, value] of inputs) {
      await driver.createInputTopic<string | null, string | null>(topic, Serdes.String(), Serdes.String()).pipeInput(key, value, ++time);
    }
    return (await driver.createOutputTopic('output', Serdes.String(), Serdes.String()).readRecordsToList()).map((r) => `${r.key}=${r.value}`);
  } finally {
    await driver.close();
  }
}

/** Re-keys each event by its value's first letter; values starting with "n" get a null key. */
function rekeyed(builder: StreamsBuilder) {
  return builder.stream('events', strings).selectKey((_key, value) => (value.startsWith('n') ? NO_KEY : value[0]!));
}

describe('a repartition topic and null keys', () => {
  it('drops records with a null key, with a filter before the sink as Kafka names it', async () => {
    const builder = new StreamsBuilder();
    rekeyed(builder).repartition().to('output');
    const topology = builder.build();
    expect(topology.describe().toString()).toContain([
      '    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])',
      '      --> KSTREAM-FILTER-0000000004',
      '      <-- KSTREAM-SOURCE-0000000000',
      '    Processor: KSTREAM-FILTER-0000000004 (stores: [])',
      '      --> KSTREAM-SINK-0000000003',
    ].join('\n'));
    expect(await run(topology, [['events', 'k', 'a1'], ['events', 'k', 'n1'], ['events', null, 'b1']])).toEqual(['a=a1', 'b=b1']);
  });

  it('keeps them for a stream-table left join downstream, which joins them with null', async () => {
    const builder = new StreamsBuilder();
    const table = builder.table('table', strings);
    rekeyed(builder).leftJoin(table, (event, row) => `${event}+${row}`).to('output');
    expect(await run(builder.build(), [['table', 'a', 'A'], ['events', 'k', 'a1'], ['events', 'k', 'n1']])).toEqual(['a=a1+A', 'null=n1+null']);
  });

  it('drops them before an inner join', async () => {
    const builder = new StreamsBuilder();
    const table = builder.table('table', strings);
    rekeyed(builder).join(table, (event, row) => `${event}+${row}`).to('output');
    expect(await run(builder.build(), [['table', 'a', 'A'], ['events', 'k', 'a1'], ['events', 'k', 'n1']])).toEqual(['a=a1+A']);
  });
});

describe('a stream-globalTable join and null keys', () => {
  const build = (kind: 'inner' | 'left'): Topology => {
    const builder = new StreamsBuilder();
    const globals = builder.globalTable('globals', strings);
    const events = builder.stream('events', strings);
    const mapper = (_key: string, value: string): string => value;
    (kind === 'inner' ? events.join(globals, mapper, (v, g) => `${v}+${g}`) : events.leftJoin(globals, mapper, (v, g) => `${v}+${g}`)).to('output');
    return builder.build();
  };
  const inputs: Input[] = [['globals', 'g1', 'G1'], ['events', null, 'g1'], ['events', null, 'g2'], ['events', 'k', null]];

  it('maps a null-key record with the key mapper in an inner join', async () => {
    expect(await run(build('inner'), inputs)).toEqual(['null=g1+G1']);
  });

  it('maps a null-key record with the key mapper in a left join', async () => {
    expect(await run(build('left'), inputs)).toEqual(['null=g1+G1', 'null=g2+null']);
  });
});
