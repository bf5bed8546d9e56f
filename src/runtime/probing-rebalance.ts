import { getLogger } from '../common/index.ts';

const log = getLogger('runtime');

/**
 * The group leader's probing rebalance (KIP-441): while stateful tasks wait on another member
 * than their balanced owner (which warms a copy up), the leader makes the group rebalance every
 * `probing.rebalance.interval.ms`, so a warm-up that has caught up takes its task over. Each
 * assignment the leader computes says whether to keep probing; a member that did not compute
 * the latest assignment (it is not the leader) stops.
 *
 * @example
 * const probing = new ProbingRebalance(600_000, () => cluster.rejoinGroup());
 * probing.afterAssignment(result.movementsPending > 0);
 */
export class ProbingRebalance {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly rebalance: () => Promise<void>,
  ) {}

  /**
   * After every assignment: `pending` when this member computed it and tasks still wait for
   * warm-ups; `soon` when it had to assign without current end offsets, so it looks again at once.
   */
  afterAssignment(pending: boolean, soon = false): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!pending || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed) return;
      log.info(soon ? 'probing rebalance: the last assignment was made without current changelog end offsets' : 'probing rebalance: warm-up copies may have caught up with their tasks');
      this.rebalance().catch((error: unknown) => log.warn(`the probing rebalance failed (${(error as Error).message}); the next rebalance moves the tasks`));
    }, soon ? 0 : this.intervalMs);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
