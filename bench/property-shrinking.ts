/**
 * How small the property kit's counterexamples are: each invariant runs against a topology with a
 * planted bug over many seeds, and the size of the shrunk input is tallied. A planted bug here
 * needs two records (one for redelivery), the baseline each result is measured against: the share
 * of seeds whose counterexample is that small is the figure.
 * Usage: `npx tsx bench/property-shrinking.ts [--seeds N]`. The last line is one JSON object.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { Consumed, Grouped, Materialized, Produced, Serdes, StreamsBuilder, Stores, TimeWindows, setLogLevel } from '../src/index.ts';
import type { KeyValueStore } from '../src/index.ts';
import {
  PropertyFailure, idempotentUnderDuplicates, keyedEvents, orderInsensitiveWithinGrace, partitionCountIndependent, restartIndependent,
  scaleOutIndependent,
} from '../src/testing/index.ts';
import type { InputRecord } from '../src/testing/index.ts';

const { values: args } = parseArgs({ options: { seeds: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx bench/property-shrinking.ts [--seeds N]\nTallies shrunk counterexample sizes per invariant on planted bugs; last line is JSON.');
  process.exit(0);
}
const SEEDS = args.seeds === undefined ? 50 : Number(args.seeds);
if (!Number.isInteger(SEEDS) || SEEDS < 1) {
  console.error(`bench/property-shrinking: --seeds must be a positive whole number, got '${args.seeds}'`);
  process.exit(2);
}
setLogLevel('warn');
const str = Serdes.String();
const strings = { keySerde: str, valueSerde: str };
const input = keyedEvents({ topic: 'in', keys: ['k1', 'k2', 'k3', 'k4', 'k5'], values: fc.constantFrom('a', 'b', 'c'), maxStepMs: 200, maxLength: 60 });

/** A running count per key in a processor field: lost on restart. */
function countInField() {
  const builder = new StreamsBuilder();
  builder.stream('in', Consumed.with(str, str)).process<string, string>(() => {
    const counts = new Map<string, number>();
    let forward: (record: never) => void;
    return {
      init: (context) => void (forward = (record) => context.forward(record)),
      process: (record) => {
        counts.set(record.key, (counts.get(record.key) ?? 0) + 1);
        forward(record.withValue(String(counts.get(record.key))) as never);
      },
    };
  }).to('out', Produced.with(str, str));
  return builder.build();
}

/** Counts per value after selectKey, in a Processor API store, without a repartition. */
function countWithoutRepartition() {
  const builder = new StreamsBuilder();
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('per-value'), str, Serdes.Long()));
  builder.stream('in', Consumed.with(str, str)).selectKey((_key, value) => value).process<never, never>(() => {
    let store: KeyValueStore<string, number>;
    return {
      init: (context) => void (store = context.getStateStore('per-value')),
      process: (record) => store.put(record.key, (store.get(record.key) ?? 0) + 1),
    };
  }, 'per-value');
  return builder.build();
}

function lastValuePerWindow() {
  const builder = new StreamsBuilder();
  builder.stream('in', Consumed.with(str, str)).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(1_000, 500)).reduce((_old, value) => value, Materialized.as('last'));
  return builder.build();
}

function countPerKey() {
  const builder = new StreamsBuilder();
  builder.stream('in', Consumed.with(str, str)).groupBy((key) => key, Grouped.with(str, str)).count(Materialized.as('counts'));
  return builder.build();
}

const outputs = { out: strings };
const runs: Array<{ name: string; minimal: number; check: (seed: number) => Promise<void> }> = [
  { name: 'restartIndependent', minimal: 2, check: (seed) => restartIndependent({ topology: countInField, input, inputs: { in: strings }, outputs }, { seed }) },
  { name: 'scaleOutIndependent', minimal: 2, check: (seed) => scaleOutIndependent({ topology: countInField, input, inputs: { in: strings }, outputs }, { seed }) },
  { name: 'partitionCountIndependent', minimal: 2, check: (seed) => partitionCountIndependent({ topology: countWithoutRepartition, input, inputs: { in: strings }, stores: ['per-value'] }, { seed }) },
  {
    name: 'orderInsensitiveWithinGrace', minimal: 2,
    check: (seed) => orderInsensitiveWithinGrace({ topology: lastValuePerWindow, input, inputs: { in: strings }, stores: ['last'], graceMs: 500, config: { 'statestore.cache.max.bytes': 0 } }, { seed, numRuns: 300 }),
  },
  { name: 'idempotentUnderDuplicates', minimal: 1, check: (seed) => idempotentUnderDuplicates({ topology: countPerKey, input, inputs: { in: strings }, stores: ['counts'] }, { seed }) },
];

const figures: { [name: string]: number } = {};
for (const { name, minimal, check } of runs) {
  const sizes: number[] = [];
  const started = performance.now();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const failure = await check(seed).then(() => undefined, (e: unknown) => e);
    if (!(failure instanceof PropertyFailure)) { sizes.push(Number.NaN); continue; }
    const example = failure.counterexample as InputRecord[] | [InputRecord[], ...unknown[]];
    const records = Array.isArray(example[0]) ? example[0] as InputRecord[] : example as InputRecord[];
    sizes.push(records.length);
    process.stdout.write(`\r${name}: seed ${seed}/${SEEDS}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const found = sizes.filter((n) => !Number.isNaN(n));
  const tally = new Map<number, number>();
  for (const n of found) tally.set(n, (tally.get(n) ?? 0) + 1);
  const histogram = [...tally].sort((a, b) => a[0] - b[0]).map(([n, count]) => `${n} records × ${count}`).join(', ');
  const minimalShare = found.filter((n) => n === minimal).length / SEEDS;
  console.log(`\r${name}: ${found.length}/${SEEDS} seeds found the bug; shrunk sizes ${histogram}; minimal (${minimal}) in ${(minimalShare * 100).toFixed(0)}%; ${seconds.toFixed(1)} s`);
  figures[`${name}_minimal_share`] = Number(minimalShare.toFixed(3));
}
console.log(JSON.stringify({ bench: 'property-shrinking', seeds: SEEDS, ...figures }));
