/**
 * Type tests: `npm test` type-checks this file, so every `@ts-expect-error` below must really be a
 * compile error (an unused one fails the build). The runtime assertions check the valid lines.
 */
import { describe, expect, it } from 'vitest';
import { Consumed, Grouped, Materialized, Produced, Serdes, StreamsBuilder } from '../../src/index.ts';
import type { KStream, KTable } from '../../src/index.ts';

describe('the DSL is typed end to end', () => {
  it('rejects mismatched values, serdes and aggregates at compile time', () => {
    const builder = new StreamsBuilder();
    const amounts: KStream<string, number> = builder.stream('amounts', Consumed.with(Serdes.String(), Serdes.Integer()));

    // @ts-expect-error a number has no toUpperCase
    amounts.mapValues((v) => v.toUpperCase());
    // @ts-expect-error the serdes must match the stream's declared types
    builder.stream<string, number>('other-amounts', Consumed.with(Serdes.String(), Serdes.String()));
    // @ts-expect-error string values cannot be written with a number stream's Produced
    amounts.to('out', Produced.with(Serdes.String(), Serdes.String()));
    // @ts-expect-error count() yields numbers
    const notStrings: KTable<string, string> = amounts.groupByKey().count();
    // @ts-expect-error an aggregator must return the aggregate's type
    amounts.groupByKey().aggregate(() => 0, (_key, value, total) => `${total + value}`);
    // @ts-expect-error a grouping key selector's type flows into Grouped
    amounts.groupBy((_key, value) => value, Grouped.with(Serdes.String(), Serdes.Integer()));

    const labels: KStream<string, string> = amounts.filter((_k, v) => v > 0).mapValues((v, k) => `${k}:${v}`);
    const totals: KTable<string, number> = amounts
      .groupByKey()
      .aggregate(() => 0, (_key, value, total) => total + value, Materialized.with(Serdes.String(), Serdes.Integer()));
    const counts: KTable<number, number> = amounts.groupBy((_key, value) => value % 10, Grouped.with(Serdes.Integer(), Serdes.Integer())).count();
    labels.to('labels', Produced.with(Serdes.String(), Serdes.String()));
    totals.toStream().to('totals', Produced.with(Serdes.String(), Serdes.Integer()));
    void notStrings;
    void counts;
    expect(builder.build().nodes.size).toBeGreaterThan(5);
  });
});
