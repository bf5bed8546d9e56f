import { describe, expect, it } from 'vitest';
import { Topology } from '../../src/topology/index.ts';
import { Stores } from '../../src/state/index.ts';
import { Serdes } from '../../src/serde/index.ts';
import type { Processor } from '../../src/processor/index.ts';

const noop = (): Processor<unknown, unknown, unknown, unknown> => ({ process() {} });
const store = (name: string) => Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.String());

/** Adds a chain of processors, each the child of the previous one. */
function chain(topology: Topology, parent: string, ...names: string[]): void {
  for (const name of names) {
    topology.addProcessor(name, noop, parent);
    parent = name;
  }
}

describe('Topology.describe() prints Kafka Streams\' exact text', () => {
  // The same nodes, edges, stores and topics as the DSL program of Kafka's
  // RepartitionOptimizingTest (unoptimized); the expected text is the one Kafka Streams prints.
  it('for a topology of four sub-topologies with fan-out, shared stores and a merge', () => {
    const t = new Topology();
    t.addSource('sourceStream', 'input');
    chain(t, 'sourceStream', 'source-map');
    chain(t, 'source-map', 'reduce-filter', 'reduce-peek', 'reduce-groupByKey-repartition-filter');
    t.addSink('reduce-groupByKey-repartition-sink', 'reduce-groupByKey-repartition', 'reduce-groupByKey-repartition-filter');
    chain(t, 'source-map', 'process-filter', 'process-mapValues', 'process');
    chain(t, 'source-map', 'aggregate-groupByKey-repartition-filter');
    t.addSink('aggregate-groupByKey-repartition-sink', 'aggregate-groupByKey-repartition', 'aggregate-groupByKey-repartition-filter');
    chain(t, 'source-map', 'count-groupByKey-repartition-filter');
    t.addSink('count-groupByKey-repartition-sink', 'count-groupByKey-repartition', 'count-groupByKey-repartition-filter');
    chain(t, 'source-map', 'join-filter', 'join-left-repartition-filter');
    t.addSink('join-left-repartition-sink', 'join-left-repartition', 'join-left-repartition-filter');

    t.addSource('count-groupByKey-repartition-source', 'count-groupByKey-repartition');
    chain(t, 'count-groupByKey-repartition-source', 'count', 'count-toStream', 'join-other-windowed', 'join-other-join');
    t.addSink('count-to', 'outputTopic_0', 'count-toStream');
    t.addSource('join-left-repartition-source', 'join-left-repartition');
    chain(t, 'join-left-repartition-source', 'join-this-windowed', 'join-this-join');
    t.addProcessor('join-merge', noop, 'join-this-join', 'join-other-join');
    t.addSink('join-to', 'joinedOutputTopic', 'join-merge');
    t.addStateStore(store('count-store'), 'count');
    t.addStateStore(store('join-store'), 'join-this-windowed', 'join-other-join');
    t.addStateStore(store('other-join-store'), 'join-other-windowed', 'join-this-join');

    t.addSource('aggregate-groupByKey-repartition-source', 'aggregate-groupByKey-repartition');
    chain(t, 'aggregate-groupByKey-repartition-source', 'aggregate', 'aggregate-toStream');
    t.addSink('reduce-to', 'outputTopic_1', 'aggregate-toStream');
    t.addStateStore(store('aggregate-store'), 'aggregate');

    t.addSource('reduce-groupByKey-repartition-source', 'reduce-groupByKey-repartition');
    chain(t, 'reduce-groupByKey-repartition-source', 'reducer', 'reduce-toStream');
    t.addSink('KSTREAM-SINK-0000000023', 'outputTopic_2', 'reduce-toStream');
    t.addStateStore(store('reduce-store'), 'reducer');

    expect(t.describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: sourceStream (topics: [input])\n' +
        '      --> source-map\n' +
        '    Processor: source-map (stores: [])\n' +
        '      --> reduce-filter, process-filter, aggregate-groupByKey-repartition-filter, count-groupByKey-repartition-filter, join-filter\n' +
        '      <-- sourceStream\n' +
        '    Processor: reduce-filter (stores: [])\n' +
        '      --> reduce-peek\n' +
        '      <-- source-map\n' +
        '    Processor: join-filter (stores: [])\n' +
        '      --> join-left-repartition-filter\n' +
        '      <-- source-map\n' +
        '    Processor: process-filter (stores: [])\n' +
        '      --> process-mapValues\n' +
        '      <-- source-map\n' +
        '    Processor: reduce-peek (stores: [])\n' +
        '      --> reduce-groupByKey-repartition-filter\n' +
        '      <-- reduce-filter\n' +
        '    Processor: aggregate-groupByKey-repartition-filter (stores: [])\n' +
        '      --> aggregate-groupByKey-repartition-sink\n' +
        '      <-- source-map\n' +
        '    Processor: count-groupByKey-repartition-filter (stores: [])\n' +
        '      --> count-groupByKey-repartition-sink\n' +
        '      <-- source-map\n' +
        '    Processor: join-left-repartition-filter (stores: [])\n' +
        '      --> join-left-repartition-sink\n' +
        '      <-- join-filter\n' +
        '    Processor: process-mapValues (stores: [])\n' +
        '      --> process\n' +
        '      <-- process-filter\n' +
        '    Processor: reduce-groupByKey-repartition-filter (stores: [])\n' +
        '      --> reduce-groupByKey-repartition-sink\n' +
        '      <-- reduce-peek\n' +
        '    Sink: aggregate-groupByKey-repartition-sink (topic: aggregate-groupByKey-repartition)\n' +
        '      <-- aggregate-groupByKey-repartition-filter\n' +
        '    Sink: count-groupByKey-repartition-sink (topic: count-groupByKey-repartition)\n' +
        '      <-- count-groupByKey-repartition-filter\n' +
        '    Sink: join-left-repartition-sink (topic: join-left-repartition)\n' +
        '      <-- join-left-repartition-filter\n' +
        '    Processor: process (stores: [])\n' +
        '      --> none\n' +
        '      <-- process-mapValues\n' +
        '    Sink: reduce-groupByKey-repartition-sink (topic: reduce-groupByKey-repartition)\n' +
        '      <-- reduce-groupByKey-repartition-filter\n' +
        '\n' +
        '  Sub-topology: 1\n' +
        '    Source: count-groupByKey-repartition-source (topics: [count-groupByKey-repartition])\n' +
        '      --> count\n' +
        '    Processor: count (stores: [count-store])\n' +
        '      --> count-toStream\n' +
        '      <-- count-groupByKey-repartition-source\n' +
        '    Processor: count-toStream (stores: [])\n' +
        '      --> join-other-windowed, count-to\n' +
        '      <-- count\n' +
        '    Source: join-left-repartition-source (topics: [join-left-repartition])\n' +
        '      --> join-this-windowed\n' +
        '    Processor: join-other-windowed (stores: [other-join-store])\n' +
        '      --> join-other-join\n' +
        '      <-- count-toStream\n' +
        '    Processor: join-this-windowed (stores: [join-store])\n' +
        '      --> join-this-join\n' +
        '      <-- join-left-repartition-source\n' +
        '    Processor: join-other-join (stores: [join-store])\n' +
        '      --> join-merge\n' +
        '      <-- join-other-windowed\n' +
        '    Processor: join-this-join (stores: [other-join-store])\n' +
        '      --> join-merge\n' +
        '      <-- join-this-windowed\n' +
        '    Processor: join-merge (stores: [])\n' +
        '      --> join-to\n' +
        '      <-- join-this-join, join-other-join\n' +
        '    Sink: count-to (topic: outputTopic_0)\n' +
        '      <-- count-toStream\n' +
        '    Sink: join-to (topic: joinedOutputTopic)\n' +
        '      <-- join-merge\n' +
        '\n' +
        '  Sub-topology: 2\n' +
        '    Source: aggregate-groupByKey-repartition-source (topics: [aggregate-groupByKey-repartition])\n' +
        '      --> aggregate\n' +
        '    Processor: aggregate (stores: [aggregate-store])\n' +
        '      --> aggregate-toStream\n' +
        '      <-- aggregate-groupByKey-repartition-source\n' +
        '    Processor: aggregate-toStream (stores: [])\n' +
        '      --> reduce-to\n' +
        '      <-- aggregate\n' +
        '    Sink: reduce-to (topic: outputTopic_1)\n' +
        '      <-- aggregate-toStream\n' +
        '\n' +
        '  Sub-topology: 3\n' +
        '    Source: reduce-groupByKey-repartition-source (topics: [reduce-groupByKey-repartition])\n' +
        '      --> reducer\n' +
        '    Processor: reducer (stores: [reduce-store])\n' +
        '      --> reduce-toStream\n' +
        '      <-- reduce-groupByKey-repartition-source\n' +
        '    Processor: reduce-toStream (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000023\n' +
        '      <-- reducer\n' +
        '    Sink: KSTREAM-SINK-0000000023 (topic: outputTopic_2)\n' +
        '      <-- reduce-toStream\n\n',
    );
  });
});

describe('Topology.describe() for other shapes', () => {
  it('numbers a global store like a sub-topology and prints it as Kafka does', () => {
    const t = new Topology()
      .addSource('source', 'input')
      .addProcessor('processor', noop, 'source')
      .addGlobalStore(store('globalStore').withLoggingDisabled(), {
        sourceName: 'globalSource', topic: 'globalTopic', processorName: 'globalProcessor', stateUpdateSupplier: noop,
      });
    expect(t.describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: source (topics: [input])\n' +
        '      --> processor\n' +
        '    Processor: processor (stores: [])\n' +
        '      --> none\n' +
        '      <-- source\n' +
        '\n' +
        '  Sub-topology: 1 for global store (will not generate tasks)\n' +
        '    Source: globalSource (topics: [globalTopic])\n' +
        '      --> globalProcessor\n' +
        '    Processor: globalProcessor (stores: [globalStore])\n' +
        '      --> none\n' +
        '      <-- globalSource\n',
    );
  });

  it('lists several topics and stores in the order Java\'s HashSet gives them', () => {
    const t = new Topology().addSource('s', 'topic-b', 'topic-a', 'orders', 'clicks').addProcessor('p', noop, 's');
    t.addStateStore(store('zeta'), 'p').addStateStore(store('alpha'), 'p').addStateStore(store('m-store'), 'p');
    const text = t.describe().toString();
    // What Java 17 prints for new HashSet<>(List.of("topic-b", "topic-a", "orders", "clicks")) and for
    // a HashSet that had "zeta", "alpha", "m-store" added in that order.
    expect(text).toContain('(topics: [clicks, orders, topic-a, topic-b])');
    expect(text).toContain('(stores: [zeta, alpha, m-store])');
  });

  it('draws a Mermaid flowchart with one box per sub-topology, topics and stores', () => {
    const t = new Topology()
      .addSource('source', 'input')
      .addProcessor('counter', noop, 'source')
      .addStateStore(store('counts'), 'counter')
      .addSink('sink', 'output', 'counter');
    const lines = t.describe().toMermaid().split('\n');
    expect(lines[0]).toBe('flowchart TD');
    expect(lines).toContain('  subgraph sub0["Sub-topology 0"]');
    expect(lines).toContain('    n0["source"]');
    expect(lines).toContain('    n1["counter"]');
    expect(lines).toContain('    n2["sink"]');
    expect(lines).toContain('  t0(["input"])');
    expect(lines).toContain('  t1(["output"])');
    expect(lines).toContain('  s0[("counts")]');
    for (const edge of ['  t0 --> n0', '  n0 --> n1', '  n1 --> n2', '  n1 -.- s0', '  n2 --> t1']) expect(lines).toContain(edge);
  });
});
