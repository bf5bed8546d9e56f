import type { Recorder } from '../../metrics/index.ts';
import type { Record } from '../../processor/index.ts';
import type { RuntimeNode } from './runtime-node.ts';

/**
 * Stands in for a terminal node (a sink, or a processor without children) in its parent's list of
 * children, and records each record's end-to-end latency (now minus the record's timestamp) before
 * handing it on: Kafka's `record-e2e-latency` of terminal nodes. Only tasks that record metrics have it.
 */
export class E2eLatencyNode implements RuntimeNode {
  constructor(
    private readonly node: RuntimeNode,
    private readonly latency: Recorder,
    private readonly clock: { readonly nowMs: number },
  ) {}

  get name(): string {
    return this.node.name;
  }

  process(record: Record<unknown, unknown>): void {
    const nowMs = this.clock.nowMs;
    this.latency.record(nowMs - record.timestamp, nowMs);
    this.node.process(record);
  }
}
