import { ManualClock } from '../../../src/common/index.ts';
import { StreamTask } from '../../../src/runtime/index.ts';
import type { ProducedRecord, RecordCollector, StreamTaskOptions } from '../../../src/runtime/index.ts';
import type { Topology } from '../../../src/topology/index.ts';
import { Serdes } from '../../../src/serde/index.ts';

const stringSerde = Serdes.String();

/** Collects produced records in memory; `partitions` is what partitionsFor reports. */
export class ArrayCollector implements RecordCollector {
  readonly sent: ProducedRecord[] = [];
  flushes = 0;
  constructor(private readonly partitions = 1) {}
  send(record: ProducedRecord): void {
    this.sent.push(record);
  }
  partitionsFor(): number {
    return this.partitions;
  }
  flush(): void {
    this.flushes++;
  }
  /** Values sent to `topic`, decoded as UTF-8. */
  values(topic: string): Array<string | null> {
    return this.sent.filter((r) => r.topic === topic).map((r) => (r.value === null ? null : r.value.toString()));
  }
}

export interface Harness {
  task: StreamTask;
  collector: ArrayCollector;
  clock: ManualClock;
  /** Buffers one string record and processes everything buffered, punctuating stream time after each. */
  pipe(topic: string, key: string | null, value: string | null, timestamp: number): void;
}

/**
 * Runs the whole topology as sub-topology 0 on partition `partition`, already RUNNING. Test-only:
 * lets the task tests run without the topology compiler.
 */
export function runningTask(
  topology: Topology,
  options: { partition?: number; partitions?: number; config?: { [key: string]: unknown }; wallClockMs?: number } = {},
): Harness {
  const collector = new ArrayCollector(options.partitions ?? 1);
  const clock = new ManualClock(options.wallClockMs ?? 0);
  const taskOptions: StreamTaskOptions = {
    topology: {
      subtopologyId: 0,
      nodes: [...topology.nodes.values()],
      stores: [...topology.stores.values()],
      topicName: (name) => name,
    },
    partition: options.partition ?? 0,
    config: { 'application.id': 'app', 'default.key.serde': stringSerde, 'default.value.serde': stringSerde, ...options.config },
    collector,
    clock,
  };
  const task = new StreamTask(taskOptions);
  const init = task.initializeIfNeeded();
  if (init instanceof Promise) throw new Error('test stores initialise synchronously');
  task.completeRestoration();
  const offsets = new Map<string, number>();
  return {
    task,
    collector,
    clock,
    pipe(topic, key, value, timestamp) {
      const offset = offsets.get(topic) ?? 0;
      offsets.set(topic, offset + 1);
      task.addRecords(topic, [{
        offset,
        key: key === null ? null : Buffer.from(key),
        value: value === null ? null : Buffer.from(value),
        timestamp,
        headers: [],
      }]);
      while (task.process()) task.maybePunctuateStreamTime();
    },
  };
}
