/**
 * Word count, the "hello world" of Kafka Streams: splits each line of `streams-plaintext-input`
 * into lower-case words, counts every word in the store `counts-store`, and writes each new count
 * to `streams-wordcount-output`.
 *
 * Run it on sample lines in the test driver with `npx tsx topology-examples/word-count.ts`; it
 * prints the topology and the counts. `npx kstreams run topology-examples/word-count.ts` runs it as
 * an application (create both topics first).
 */
import { pathToFileURL } from 'node:url';
import { Consumed, Grouped, Materialized, Produced, Serdes, StreamsBuilder } from 'kstreams';
import type { Topology } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';

export const INPUT_TOPIC = 'streams-plaintext-input';
export const OUTPUT_TOPIC = 'streams-wordcount-output';
export const COUNTS_STORE = 'counts-store';

/** The word-count topology, as Kafka's WordCountDemo builds it. */
export function buildWordCountTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string | null, string>(INPUT_TOPIC, Consumed.with(Serdes.String(), Serdes.String()))
    .flatMapValues((line) => line.toLowerCase().split(/\W+/).filter((word) => word.length > 0))
    .groupBy((_key, word) => word, Grouped.with(Serdes.String(), Serdes.String()))
    .count(Materialized.as<string, number>(COUNTS_STORE))
    .toStream()
    .to(OUTPUT_TOPIC, Produced.with(Serdes.String(), Serdes.Long()));
  return builder.build();
}

export default function wordCountApp() {
  return { applicationId: 'streams-wordcount', topology: buildWordCountTopology() };
}

/** Counts the words of `lines` in the test driver and returns every count emitted, in order. */
export async function countWords(
  lines: readonly string[],
  config: { [key: string]: unknown } = {},
): Promise<Array<{ key: string | null; value: number | null }>> {
  const driver = new TopologyTestDriver(buildWordCountTopology(), { 'application.id': 'word-count', ...config });
  try {
    await driver.createInputTopic(INPUT_TOPIC, Serdes.String(), Serdes.String()).pipeValueList(lines);
    return driver.createOutputTopic(OUTPUT_TOPIC, Serdes.String(), Serdes.Long()).readKeyValuesToList();
  } finally {
    await driver.close();
  }
}

/** Prints the topology and the counts for the three lines of Kafka's word-count walkthrough. */
export async function main(): Promise<void> {
  console.log(buildWordCountTopology().describe().toString());
  const counts = await countWords(['all streams lead to kafka', 'hello kafka streams', 'join kafka summit'], { 'statestore.cache.max.bytes': 0 });
  for (const { key, value } of counts) console.log(`${key}\t${value}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
