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
      // A value a store cannot serialize is a poison record: the production handler decides.
      if (isStreamsError(failure, 'SERIALIZATION_ERROR') && this.task.badRecords.continueOnProductionError) {
        this.task.badRecords.onSerializationError(failure);
        return;
      }
      // Only a user processor's own failure may be skipped; errors with a code (a sink's serde, a
      // store) and failures already reported deeper down pass through.
      if (!this.task.badRecords.continueOnProcessingError || isStreamsError(e)) throw failure;
      this.task.badRecords.onProcessingError(failure);
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
