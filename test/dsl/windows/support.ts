import type { Topology } from '../../../src/topology/index.ts';
import { Serdes, WindowedSerdes } from '../../../src/serde/index.ts';
import type { Serde, Windowed } from '../../../src/serde/index.ts';
import { TopologyTestDriver } from '../../../src/testing/index.ts';

/** Config of windowed tests: no cache (every update forwarded), on-window-close not throttled. */
export const WINDOW_TEST_CONFIG = {
  'application.id': 'windows',
  'statestore.cache.max.bytes': 0,
  'emit.interval.ms.kstreams.windowed.aggregation': 0,
  'default.key.serde': Serdes.String(),
  'default.value.serde': Serdes.String(),
};

/** A windowed output as `[key@start/end] value @timestamp`, easy to compare with Kafka's docs. */
export function show(record: { key: Windowed<string> | null; value: unknown; timestamp: number }): string {
  return `${String(record.key)} ${record.value === null ? 'null' : String(record.value)} @${record.timestamp}`;
}

/** Runs `topology`, piping `(key, value, timestamp)` inputs into `input`, and returns what `output` got. */
export async function runWindowed<V>(
  topology: Topology,
  inputs: ReadonlyArray<readonly [string, string, number]>,
  keySerde: Serde<Windowed<string>>,
  valueSerde: Serde<V>,
  config: { [key: string]: unknown } = {},
): Promise<string[]> {
  const driver = new TopologyTestDriver(topology, { ...WINDOW_TEST_CONFIG, ...config });
  try {
    const input = driver.createInputTopic('input', Serdes.String(), Serdes.String());
    const output = driver.createOutputTopic('output', keySerde, valueSerde);
    for (const [key, value, timestamp] of inputs) await input.pipeInput(key, value, timestamp);
    return (await output.readRecordsToList()).map(show);
  } finally {
    await driver.close();
  }
}

export const timeWindowed = (size: number) => WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), size);
export const sessionWindowed = () => WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String());
