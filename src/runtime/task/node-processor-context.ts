import { StreamsError } from '../../common/index.ts';
import { DROPPED_RECORDS } from '../../processor/index.ts';
import type {
  Cancellable, ProcessorContext, PunctuationType, Punctuator, Record, RecordMetadata,
} from '../../processor/index.ts';
import type { StateStore } from '../../state/index.ts';
import type { RuntimeNode } from './runtime-node.ts';
import type { TaskInternals } from './task-internals.ts';

/**
 * The ProcessorContext of one processor node in one task. Bound to its node, so `forward` reaches
 * that node's children also from punctuators and cache-flush callbacks.
 */
export class NodeProcessorContext implements ProcessorContext<unknown, unknown> {
  constructor(
    private readonly task: TaskInternals,
    private readonly nodeName: string,
    private readonly children: readonly RuntimeNode[],
    private readonly connectedStores: ReadonlySet<string>,
  ) {}

  get applicationId(): string {
    return this.task.applicationId;
  }

  get taskId(): string {
    return this.task.taskId;
  }

  get appConfigs(): Readonly<{ [key: string]: unknown }> {
    return this.task.appConfigs;
  }

  forward<K, V>(record: Record<K, V>, childName?: string): void {
    const task = this.task;
    // Children see the forwarded record's timestamp; afterwards this node's own is back in place
    // (stores stamp their writes with it), as Kafka restores the record context.
    const ownTimestamp = task.currentTimestamp;
    if (childName === undefined) {
      for (const child of this.children) {
        task.currentTimestamp = record.timestamp;
        child.process(record);
      }
    } else {
      task.currentTimestamp = record.timestamp;
      this.child(childName).process(record);
    }
    task.currentTimestamp = ownTimestamp;
  }

  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    return this.task.schedule(this.nodeName, intervalMs, type, punctuator);
  }

  getStateStore<S extends StateStore>(name: string): S {
    const store = this.connectedStores.has(name) ? this.task.findStore(name) : this.task.findGlobalStore(name);
    if (store === undefined) {
      throw new StreamsError(
        'UNKNOWN_STATE_STORE',
        `processor "${this.nodeName}" in task ${this.task.taskId} has no access to state store "${name}": ` +
          `connect it with topology.addStateStore(builder, "${this.nodeName}") or ` +
          `topology.connectProcessorAndStateStores("${this.nodeName}", "${name}")`,
      );
    }
    return store as S;
  }

  recordMetadata(): RecordMetadata | undefined {
    return this.task.currentMetadata;
  }

  currentStreamTimeMs(): number {
    return this.task.streamTimeMs();
  }

  currentSystemTimeMs(): number {
    return this.task.wallClockMs();
  }

  commit(): void {
    this.task.requestCommit();
  }

  /** See `countDroppedRecord`: a processor of this node dropped a record. */
  [DROPPED_RECORDS](): void {
    this.task.recordDropped();
  }

  private child(name: string): RuntimeNode {
    for (const child of this.children) if (child.name === name) return child;
    const known = this.children.map((c) => `"${c.name}"`).join(', ');
    throw new StreamsError(
      'TOPOLOGY_ERROR',
      `processor "${this.nodeName}" forwarded to child "${name}", which is not one of its children (${known.length === 0 ? 'it has none' : known})`,
    );
  }
}
