import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Serdes } from '../../src/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import type { CaseRecord } from './cases.ts';
import { runJava } from './kit.ts';
import type { ReferenceBuild } from './kit.ts';
import { buildReferenceTopology, OUTPUT_TYPES } from './topologies.ts';
import type { OutputTopic, ReferenceTopologyName } from './topologies.ts';

/** One output record, as both sides report it. */
export interface OutputRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string | number | null;
  readonly timestamp: number;
}

export interface DifferentialCase {
  readonly topology: ReferenceTopologyName;
  readonly records: readonly CaseRecord[];
}

/** What a driver produced for a case: its output records, or the error it failed with. */
export type CaseResult = { readonly records: OutputRecord[] } | { readonly error: string };

/** kstreams' TopologyTestDriver on one case: outputs per output topic, in the order produced. */
export async function runKstreams(testCase: DifferentialCase): Promise<CaseResult> {
  const driver = new TopologyTestDriver(buildReferenceTopology(testCase.topology), {
    'application.id': 'reference', 'default.key.serde': Serdes.String(), 'default.value.serde': Serdes.String(),
  });
  try {
    const inputs = new Map<string, ReturnType<typeof driver.createInputTopic<string | null, string | null>>>();
    for (const record of testCase.records) {
      let topic = inputs.get(record.topic);
      if (topic === undefined) {
        topic = driver.createInputTopic<string | null, string | null>(record.topic, Serdes.String(), Serdes.String());
        inputs.set(record.topic, topic);
      }
      await topic.pipeInput(record.key, record.value, record.timestamp);
    }
    const records: OutputRecord[] = [];
    for (const [topic, type] of Object.entries(OUTPUT_TYPES) as Array<[OutputTopic, string]>) {
      const values = type === 'long' ? Serdes.Long() : Serdes.String();
      for (const record of driver.createOutputTopic<string, string | number>(topic, Serdes.String(), values).readRecordsToList()) {
        records.push({ topic, key: record.key, value: record.value, timestamp: record.timestamp });
      }
    }
    return { records };
  } catch (error) {
    return { error: String(error) };
  } finally {
    await driver.close();
  }
}

/** Kafka Streams' TopologyTestDriver on every case, in one JVM (the Java `Differential` harness). */
export async function runKafkaStreams(build: ReferenceBuild, cases: readonly DifferentialCase[]): Promise<CaseResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kstreams-differential-'));
  try {
    const inputFile = join(dir, 'cases.json');
    const outputFile = join(dir, 'results.json');
    writeFileSync(inputFile, JSON.stringify({ cases }));
    await runJava(build, 'dev.kstreams.reference.Differential', [inputFile, outputFile], { timeoutMs: 840_000 } /* under the hook's 900 s: a loaded machine runs the JVM several times slower */);
    return (JSON.parse(readFileSync(outputFile, 'utf8')) as { results: CaseResult[] }).results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first place two results differ, described for a human; undefined when they are equal. */
export function difference(expected: CaseResult, actual: CaseResult): string | undefined {
  if ('error' in expected || 'error' in actual) {
    if ('error' in expected && 'error' in actual) return undefined;
    return `Kafka Streams: ${'error' in expected ? expected.error : 'ok'}; kstreams: ${'error' in actual ? actual.error : 'ok'}`;
  }
  const length = Math.max(expected.records.length, actual.records.length);
  for (let i = 0; i < length; i++) {
    const e = expected.records[i];
    const a = actual.records[i];
    if (JSON.stringify(e) !== JSON.stringify(a)) {
      return `output #${i} differs: Kafka Streams ${e === undefined ? '(nothing)' : show(e)}, kstreams ${a === undefined ? '(nothing)' : show(a)}`;
    }
  }
  return undefined;
}

export function show(record: OutputRecord | CaseRecord): string {
  return `${record.topic} ${JSON.stringify(record.key)}=${JSON.stringify(record.value)} @${record.timestamp}`;
}
