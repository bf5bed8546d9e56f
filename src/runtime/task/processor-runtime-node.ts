import { isStreamsError } from '../../common/index.ts';
import type { Processor, Record } from '../../processor/index.ts';
import { NodeProcessorContext } from './node-processor-context.ts';
import { processorFailure } from './processor-failure.ts';
import type { RuntimeNode } from './runtime-node.ts';
import type { TaskInternals } from './task-internals.ts';

/** A processor instance of one task with its own context; failures become PROCESSOR_ERROR. */
export class ProcessorRuntimeNode implements RuntimeNode {
  readonly children: RuntimeNode[] = [];
  readonly context: NodeProcessorContext;

  constructor(
    readonly name: string,
    private readonly processor: Processor<unknown, unknown, unknown, unknown>,
    connectedStores: readonly string[],
    private readonly task: TaskInternals,
  ) {
    this.context = new NodeProcessorContext(task, name, this.children, new Set(connectedStores));
  }

  init(): void {
    try {
      this.processor.init?.(this.context);
    } catch (e) {
      throw processorFailure(this.task, this.name, 'init', e);
    }
  }

  process(record: Record<unknown, unknown>): void {
    try {
      this.processor.process(record);
    } catch (e) {
      const failure = processorFailure(this.task, this.name, 'process', e);
      const policy = this.task.badRecords;
      // Failures a handler deeper down already decided on pass through every processor above it.
      if (policy.isDecided(e)) throw failure;
      const context = this.task.errorContext(this.name, record.headers, record.timestamp);
      // A value a store cannot serialize is a poison record: the production handler decides.
      if (isStreamsError(e, 'SERIALIZATION_ERROR') && isStreamsError(failure, 'SERIALIZATION_ERROR')) {
        const written = { topic: e.location?.topic ?? '', partition: this.task.partition, key: record.key, value: record.value, timestamp: record.timestamp, headers: record.headers };
        policy.handleSerializationError(failure, context, written, undefined, this.task.collector);
        return;
      }
      // Only a user processor's own failure goes to the processing handler; other coded errors stop the task.
      if (isStreamsError(e)) throw failure;
      policy.handleProcessingError(failure, e instanceof Error ? e : new Error(String(e)), context, record, this.task.collector);
    }
  }

  close(): void {
    try {
      this.processor.close?.();
    } catch (e) {
      throw processorFailure(this.task, this.name, 'close', e);
    }
  }
}
