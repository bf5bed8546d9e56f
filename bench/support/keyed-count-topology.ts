/**
 * The keyed count of bench/stream-threads.ts as a module: worker threads (the `topologyModule`
 * option) rebuild the topology from it. "in" → count per key in the LevelDB store "counts" → "out".
 */
import { Consumed, Materialized, Produced, Serdes, StreamsBuilder } from '../../src/index.ts';

export default function keyedCount() {
  const str = Serdes.String();
  const builder = new StreamsBuilder();
  builder.stream<string, string>('in', Consumed.with(str, str)).groupByKey().count(Materialized.as('counts'))
    .toStream().to('out', Produced.with(str, Serdes.Long()));
  return builder.build();
}
