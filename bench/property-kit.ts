/**
 * Throughput of the property-testing kit: cases per second of a property over generated
 * 1,000-record inputs (visits counted per region), against plain TopologyTestDriver runs of
 * 1,000-record inputs measured in the same run — the ratio is what generating, shrinking-ready
 * values and checking the invariant cost on top of running the topology. Also the same property
 * over 4 partitions, and `partitionCountIndependent` (three runs per case).
 * Usage: `npx tsx bench/property-kit.ts [--cases N]`. The last line is one JSON object.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { Consumed, Grouped, Materialized, Serdes, StreamsBuilder, setLogLevel } from '../src/index.ts';
import { TopologyTestDriver, keyedEvents, matchesModel, partitionCountIndependent } from '../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../src/testing/index.ts';

const { values: args } = parseArgs({ options: { cases: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx bench/property-kit.ts [--cases N]\nMeasures property cases per second over 1,000-record inputs; last line is JSON.');
  process.exit(0);
}
const CASES = args.cases === undefined ? 40 : Number(args.cases);
if (!Number.isInteger(CASES) || CASES < 1) {
  console.error(`bench/property-kit: --cases must be a positive whole number, got '${args.cases}'`);
  process.exit(2);
}
setLogLevel('warn');
const RECORDS = 1_000;
const str = Serdes.String();

function topology() {
  const builder = new StreamsBuilder();
  builder.stream('visits', Consumed.with(str, str)).groupBy((_user, region) => region, Grouped.with(str, str)).count(Materialized.as('per-region'));
  return builder.build();
}

const input = keyedEvents({ topic: 'visits', keys: Array.from({ length: 50 }, (_, i) => `user-${i}`), values: fc.constantFrom('eu', 'us', 'asia'), minLength: RECORDS, maxLength: RECORDS });
const spec: PropertySpec = { topology, input, inputs: { visits: { keySerde: str, valueSerde: str } }, stores: ['per-region'], config: { 'statestore.cache.max.bytes': 0 } };
const model = (records: InputRecord[]) => {
  const counts: { [region: string]: number } = {};
  for (const { value } of records) counts[value as string] = (counts[value as string] ?? 0) + 1;
  return { stores: { 'per-region': counts }, outputs: {} };
};

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

/** The baseline: the same number of 1,000-record runs through a driver, inputs prepared beforehand. */
async function plainRuns(): Promise<number> {
  const inputs = fc.sample(input, { numRuns: CASES, seed: 1 });
  return CASES / await timed(async () => {
    for (const records of inputs) {
      const driver = new TopologyTestDriver(topology(), { 'application.id': 'bench', 'statestore.cache.max.bytes': 0 });
      const visits = driver.createInputTopic('visits', str, str);
      for (const r of records) await visits.pipeInput(r.key as string, r.value as string, r.timestamp);
      await driver.close();
    }
  });
}

const fmt = (n: number) => n.toFixed(1);
const ratio = (n: number, base: number) => Math.round((n / base) * 100) / 100;
console.log(`${CASES} cases of ${RECORDS} records each`);
const plain = await plainRuns();
console.log(`plain driver runs: ${fmt(plain)} runs/s`);
const single = CASES / await timed(() => matchesModel({ ...spec, model }, { numRuns: CASES, seed: 2 }));
console.log(`matchesModel, 1 partition: ${fmt(single)} cases/s = ${ratio(single, plain)} of plain runs`);
const four = CASES / await timed(() => matchesModel({ ...spec, model }, { numRuns: CASES, seed: 3, partitions: 4 }));
console.log(`matchesModel, 4 partitions: ${fmt(four)} cases/s = ${ratio(four, plain)} of plain runs`);
const independent = CASES / await timed(() => partitionCountIndependent(spec, { numRuns: CASES, seed: 4 }));
console.log(`partitionCountIndependent (1, 2, 4 partitions): ${fmt(independent)} cases/s = ${ratio(independent, plain)} of plain runs`);
console.log(JSON.stringify({
  bench: 'property-kit', records: RECORDS, cases: CASES, plainRunsPerSecond: Number(fmt(plain)),
  matchesModel: { casesPerSecond: Number(fmt(single)), ratio: ratio(single, plain) },
  matchesModel4Partitions: { casesPerSecond: Number(fmt(four)), ratio: ratio(four, plain) },
  partitionCountIndependent: { casesPerSecond: Number(fmt(independent)), ratio: ratio(independent, plain) },
}));
