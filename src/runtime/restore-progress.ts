/** How far the restoration of one store of one task has come. */
export interface StoreRestoreProgress {
  readonly taskId: string;
  readonly store: string;
  /** Changelog records applied so far. */
  readonly restored: number;
  /** Changelog records to apply in all (from the restore start to the changelog end). */
  readonly total: number;
}

/**
 * The restorations under way in one instance, keyed by task and store; an entry leaves when its
 * store is restored. Read by `KafkaStreams.restoreProgress()` (e.g. for a readiness probe).
 */
export class RestoreTracker {
  private readonly underWay = new Map<string, { taskId: string; store: string; restored: number; total: number }>();

  begin(taskId: string, store: string, total: number): void {
    this.underWay.set(`${taskId}\u0000${store}`, { taskId, store, restored: 0, total });
  }

  advance(taskId: string, store: string, restored: number): void {
    const entry = this.underWay.get(`${taskId}\u0000${store}`);
    if (entry !== undefined) entry.restored = restored;
  }

  end(taskId: string, store: string): void {
    this.underWay.delete(`${taskId}\u0000${store}`);
  }

  snapshot(): StoreRestoreProgress[] {
    return [...this.underWay.values()].map((entry) => ({ ...entry }));
  }
}
