import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setLogSink } from '../../src/index.ts';
import { CASE_INPUTS } from './cases.ts';
import { difference, runKafkaStreams, runKstreams, show } from './differential.ts';
import type { CaseResult, DifferentialCase } from './differential.ts';
import { referenceBuild } from './reference-tools.ts';
import { REFERENCE_TOPOLOGIES } from './topologies.ts';

/**
 * kstreams against Kafka Streams itself: every reference topology runs on the same generated inputs
 * in Kafka Streams' TopologyTestDriver (one JVM for all cases) and in kstreams' driver, and the
 * outputs must be equal record by record — keys, values, timestamps and order. Set
 * KSTREAMS_REFERENCE_CASES (cases per topology) and KSTREAMS_REFERENCE_SEED to explore further, and
 * KSTREAMS_REFERENCE_ONLY (comma-separated topology names) to run some topologies only.
 */
const build = referenceBuild();
const casesPerTopology = Number(process.env.KSTREAMS_REFERENCE_CASES ?? 25);
const seed = Number(process.env.KSTREAMS_REFERENCE_SEED ?? 20261124);
const only = process.env.KSTREAMS_REFERENCE_ONLY?.split(',').map((name) => name.trim());
const topologies = REFERENCE_TOPOLOGIES.filter((name) => only === undefined || only.includes(name));

describe.skipIf(build === undefined)('kstreams equals Kafka Streams record by record', () => {
  const cases: DifferentialCase[] = topologies.flatMap((topology) =>
    fc.sample(CASE_INPUTS[topology], { seed, numRuns: casesPerTopology }).map((records) => ({ topology, records })));
  let expected: CaseResult[] = [];

  beforeAll(async () => {
    expected = await runKafkaStreams(build!, cases);
  }, 900_000);

  it.each(topologies)('%s', async (topology) => {
    // The skipped-record warnings for null keys and values are expected here by the dozen.
    const previousSink = setLogSink(() => {});
    try {
      const failures: string[] = [];
      let compared = 0;
      for (let i = 0; i < cases.length; i++) {
        const testCase = cases[i]!;
        if (testCase.topology !== topology) continue;
        compared++;
        const actual = await runKstreams(testCase);
        const reference = expected[i]!;
        const differs = difference(reference, actual);
        if (differs === undefined) continue;
        const outputs = (result: CaseResult): string => ('error' in result ? `error ${result.error}` : result.records.map(show).join(' | '));
        failures.push([
          `case ${i} (seed ${seed}): ${differs}`,
          `  input:         ${testCase.records.map(show).join(' | ')}`,
          `  Kafka Streams: ${outputs(reference)}`,
          `  kstreams:      ${outputs(actual)}`,
        ].join('\n'));
      }
      expect(compared).toBe(casesPerTopology);
      expect(failures.slice(0, 3).join('\n\n')).toBe('');
    } finally {
      setLogSink(previousSink);
    }
  });

  it('compares cases that produce output, not only empty results', () => {
    for (const topology of topologies) {
      const outputs = cases.flatMap((c, i) => (c.topology === topology ? [expected[i]!] : [])).filter((r) => 'records' in r && r.records.length > 0);
      expect(outputs.length, topology).toBeGreaterThan(casesPerTopology / 4);
    }
  });
});
