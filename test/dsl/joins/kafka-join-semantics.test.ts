import { describe, expect, it } from 'vitest';
import { JoinWindows, Materialized, StreamsBuilder } from '../../../src/dsl/index.ts';
import type { KStream, KTable } from '../../../src/dsl/index.ts';
import { KAFKA_JOIN_INPUT, KAFKA_JOIN_INPUT_IN_ORDER, joinValues, outputsPerInput } from './support.ts';

// Expected outputs per input row are Kafka Streams' own (its join integration tests, caching off),
// one entry per input record of KAFKA_JOIN_INPUT / KAFKA_JOIN_INPUT_IN_ORDER.

function tableTable(join: (left: KTable<number, string>, right: KTable<number, string>) => KTable<number, string>) {
  const builder = new StreamsBuilder();
  const left = builder.table<number, string>('left', undefined, Materialized.as('left-store'));
  const right = builder.table<number, string>('right', undefined, Materialized.as('right-store'));
  join(left, right).toStream().to('output');
  return builder.build();
}

function streamTable(join: (left: KStream<number, string>, right: KTable<number, string>) => KStream<number, string>) {
  const builder = new StreamsBuilder();
  join(builder.stream<number, string>('left'), builder.table<number, string>('right')).to('output');
  return builder.build();
}

function streamStream(join: (left: KStream<number, string>, right: KStream<number, string>) => KStream<number, string>) {
  const builder = new StreamsBuilder();
  join(builder.stream<number, string>('left'), builder.stream<number, string>('right')).to('output');
  return builder.build();
}

const windows = () => JoinWindows.ofTimeDifferenceAndGrace(10_000, 86_400_000);

describe('KTable-KTable joins (Kafka semantics table, out-of-order rows included)', () => {
  it('inner join', async () => {
    expect(await outputsPerInput(tableTable((l, r) => l.join(r, joinValues)), KAFKA_JOIN_INPUT)).toEqual([
      [], [], [], ['A-a@4'], ['B-a@5'], ['B-b@6'], ['null@7'], [], [], ['C-c@10'], ['null@11'], [], [],
      [], ['D-d@7'], ['null@7'], [], [], ['E-e@15'], ['null@14'], [], [], ['F-f@4'],
    ]);
  });

  it('left join', async () => {
    expect(await outputsPerInput(tableTable((l, r) => l.leftJoin(r, joinValues)), KAFKA_JOIN_INPUT)).toEqual([
      [], [], ['A-null@3'], ['A-a@4'], ['B-a@5'], ['B-b@6'], ['null@7'], [], ['C-null@9'], ['C-c@10'], ['C-null@11'], ['null@12'], [],
      [], ['D-d@7'], ['null@7'], [], [], ['E-e@15'], ['null@14'], [], ['F-null@4'], ['F-f@4'],
    ]);
  });

  it('outer join', async () => {
    expect(await outputsPerInput(tableTable((l, r) => l.outerJoin(r, joinValues)), KAFKA_JOIN_INPUT)).toEqual([
      [], [], ['A-null@3'], ['A-a@4'], ['B-a@5'], ['B-b@6'], ['null-b@7'], ['null@8'], ['C-null@9'], ['C-c@10'], ['C-null@11'], ['null@12'], [],
      ['null-d@7'], ['D-d@7'], ['null-d@7'], ['null@3'], ['null-e@14'], ['E-e@15'], ['null-e@14'], ['null@9'], ['F-null@4'], ['F-f@4'],
    ]);
  });

  it('keeps the joined table in a Materialized store', async () => {
    const builder = new StreamsBuilder();
    const left = builder.table<number, string>('left');
    const right = builder.table<number, string>('right');
    left.join(right, joinValues, Materialized.as<number, string>('joined')).toStream().to('output');
    const out = await outputsPerInput(builder.build(), [['left', 'A', 1], ['right', 'a', 2], ['right', 'b', 3]]);
    expect(out).toEqual([[], ['A-a@2'], ['A-b@3']]);
  });
});

describe('KStream-KTable joins (Kafka semantics table)', () => {
  it('inner join: only stream records find rows; table updates emit nothing', async () => {
    expect(await outputsPerInput(streamTable((l, r) => l.join(r, joinValues)), KAFKA_JOIN_INPUT)).toEqual([
      [], [], [], [], ['B-a@5'], [], [], [], [], [], [], [], [], [], ['D-d@6'], [], [], [], ['E-e@15'], [], [], [], [],
    ]);
  });

  it('left join: stream records without a row join with null; null values are dropped', async () => {
    expect(await outputsPerInput(streamTable((l, r) => l.leftJoin(r, joinValues)), KAFKA_JOIN_INPUT)).toEqual([
      [], [], ['A-null@3'], [], ['B-a@5'], [], [], [], ['C-null@9'], [], [], [], [], [], ['D-d@6'], [], [], [], ['E-e@15'], [], [], ['F-null@4'], [],
    ]);
  });
});

describe('KStream-KStream joins (Kafka semantics table, window 10 s, grace 1 day)', () => {
  const matches = [
    [], [], [], ['A-a@4'], ['B-a@5'], ['A-b@6', 'B-b@6'], [], [], ['C-a@9', 'C-b@9'], ['A-c@10', 'B-c@10', 'C-c@10'], [], [], [],
    ['A-d@14', 'B-d@14', 'C-d@14'], ['D-a@15', 'D-b@15', 'D-c@15', 'D-d@15'],
  ];

  it('inner join', async () => {
    expect(await outputsPerInput(streamStream((l, r) => l.join(r, joinValues, windows())), KAFKA_JOIN_INPUT_IN_ORDER)).toEqual([...matches, [], []]);
  });

  it('left join: no spurious left-only results while partners may still come; a null key is emitted at once', async () => {
    expect(await outputsPerInput(streamStream((l, r) => l.leftJoin(r, joinValues, windows())), KAFKA_JOIN_INPUT_IN_ORDER))
      .toEqual([...matches, ['null:E-null@16'], []]);
  });

  it('outer join', async () => {
    expect(await outputsPerInput(streamStream((l, r) => l.outerJoin(r, joinValues, windows())), KAFKA_JOIN_INPUT_IN_ORDER))
      .toEqual([...matches, ['null:E-null@16'], ['null:null-e@17']]);
  });
});

describe('left/outer stream-stream joins emit non-matches only after the window and grace', () => {
  it('holds a left record without a partner until stream time passes its window end plus grace', async () => {
    const topology = streamStream((l, r) => l.leftJoin(r, joinValues, JoinWindows.ofTimeDifferenceAndGrace(10, 5)));
    const out = await outputsPerInput(topology, [
      ['left', 'A', 0, 1], // waits: a partner may arrive until stream time passes 0 + 10 + 5
      ['right', 'b', 15, 2], // stream time 15: not yet
      ['right', 'x', 16, 3], // stream time 16 > 15: A's window has closed
      ['left', 'C', 20, 4],
      ['right', 'c', 25, 4], // C found its partner: it will never be emitted alone
      ['right', 'z', 100, 5],
    ]);
    expect(out).toEqual([[], [], ['1:A-null@0'], [], ['4:C-c@25'], []]);
  });

  it('emits a late non-match at once when its window already passed in stream time', async () => {
    const topology = streamStream((l, r) => l.leftJoin(r, joinValues, JoinWindows.ofTimeDifferenceAndGrace(10, 100)));
    const out = await outputsPerInput(topology, [['right', 'x', 50, 9], ['left', 'L', 5, 1]]);
    expect(out).toEqual([[], ['1:L-null@5']]);
  });

  it('outer join emits right-side non-matches too, each once', async () => {
    const topology = streamStream((l, r) => l.outerJoin(r, joinValues, JoinWindows.ofTimeDifferenceWithNoGrace(5)));
    const out = await outputsPerInput(topology, [['right', 'r', 0, 1], ['left', 'l', 1, 2], ['left', 'z', 20, 3], ['left', 'y', 40, 4]]);
    expect(out).toEqual([[], [], ['1:null-r@0', '2:l-null@1'], ['3:z-null@20']]);
  });

  it('keeps every unmatched record, also several with the same key and timestamp', async () => {
    const topology = streamStream((l, r) => l.outerJoin(r, joinValues, JoinWindows.ofTimeDifferenceWithNoGrace(5)));
    const out = await outputsPerInput(topology, [
      ['left', 'A', 0, 1], ['left', 'B', 0, 1], ['right', 'x', 0, 2], ['right', 'y', 0, 2], ['left', 'z', 20, 3],
    ]);
    // The outer store orders by timestamp, then side (right first), then key, as Kafka's does.
    expect(out).toEqual([[], [], [], [], ['2:null-x@0', '2:null-y@0', '1:A-null@0', '1:B-null@0']]);
  });
});
