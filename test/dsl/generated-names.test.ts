import { describe, expect, it } from 'vitest';
import { Consumed, Materialized, Named, Produced, Serdes, StreamsBuilder } from '../../src/index.ts';

/**
 * Kafka Streams' name-index rules, as test/reference/describe.test.ts checks them against Kafka
 * Streams 4.4 itself; these run without Java.
 */
const str = Serdes.String();

function describeOf(build: (builder: StreamsBuilder) => void): string {
  const builder = new StreamsBuilder();
  build(builder);
  return builder.build().describe().toString();
}

describe('generated names follow Kafka Streams', () => {
  it('count(Materialized.with(...)) takes one extra index before its store and processor names', () => {
    const text = describeOf((b) => b.stream('in', Consumed.with(str, str)).groupByKey().count(Materialized.with(str, Serdes.Long()))
      .toStream().to('counts', Produced.with(str, Serdes.Long())));
    expect(text).toContain('Processor: KSTREAM-AGGREGATE-0000000003 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000002])');
  });

  it('an anonymous Materialized on a table filter takes a name index but makes no store', () => {
    const text = describeOf((b) => b.table('in', Consumed.with(str, str)).filter((_k, v) => v !== '', Materialized.with(str, str))
      .toStream().to('out', Produced.with(str, str)));
    expect(text).toContain('Processor: KTABLE-FILTER-0000000004 (stores: [])');
    expect(text).toContain('Processor: KTABLE-SOURCE-0000000002 (stores: [])');
  });

  it('a given name still takes an index, so the generated names after it do not move', () => {
    const text = describeOf((b) => b.stream('in', Consumed.with(str, str)).mapValues((v) => v, Named.as('same'))
      .to('out', Produced.with(str, str)));
    expect(text).toContain('Sink: KSTREAM-SINK-0000000002 (topic: out)');
  });

  it('table-table joins name the merge node first, then KTABLE-JOINTHIS and KTABLE-JOINOTHER, whatever the kind', () => {
    const text = describeOf((b) => b.table('l', Consumed.with(str, str)).leftJoin(b.table('r', Consumed.with(str, str)), (l, r) => `${l}${r}`)
      .toStream().to('out', Produced.with(str, str)));
    expect(text).toContain('Processor: KTABLE-MERGE-0000000006 (stores: [])');
    expect(text).toContain('Processor: KTABLE-JOINTHIS-0000000007 (stores: [r-STATE-STORE-0000000003])');
    expect(text).toContain('Processor: KTABLE-JOINOTHER-0000000008 (stores: [l-STATE-STORE-0000000000])');
  });
});
