import { beforeAll, describe, expect, it } from 'vitest';
import { buildDescribeTopology, DESCRIBE_TOPOLOGIES } from './describe-topologies.ts';
import { runJava } from './kit.ts';
import { referenceBuild } from './reference-tools.ts';

/**
 * `topology.describe()` of kstreams against Kafka Streams 4.4's own text, for topologies whose
 * node names, store names and stores depend on Kafka's naming and materialization rules (which
 * operations take a name index, which source tables get a store). One JVM prints them all.
 */
const build = referenceBuild();
const names = Object.keys(DESCRIBE_TOPOLOGIES);

describe.skipIf(build === undefined)('describe() equals Kafka Streams 4.4', () => {
  const expected = new Map<string, string>();

  beforeAll(async () => {
    const output = await runJava(build!, 'dev.kstreams.reference.DescribeTopologies', names);
    for (const section of output.split(/^### /m).slice(1)) {
      const newline = section.indexOf('\n');
      expected.set(section.slice(0, newline), section.slice(newline + 1));
    }
  }, 300_000);

  it.each(names)('%s', (name) => {
    expect(buildDescribeTopology(name).describe().toString()).toBe(expected.get(name));
  });
});
