import type { Record } from '../../processor/index.ts';

/** A node of a task's live graph: receives records forwarded by its parent. */
export interface RuntimeNode {
  readonly name: string;
  process(record: Record<unknown, unknown>): void;
}
