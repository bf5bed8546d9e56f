/**
 * How an instance shares its tasks among its stream threads (`num.stream.threads`), as Kafka
 * Streams spreads a client's tasks over its threads: every thread gets the same number of tasks,
 * give or take one; stateful tasks are spread first, so no thread ends up with all the stores;
 * and a task stays on the thread that ran it while that thread is within its share, so adding or
 * removing a thread moves as few tasks (and as little local state) as it can.
 *
 * @example
 * distributeTasks(['0_0', '0_1', '0_2', '0_3'], ['t1', 't2'], new Map(), () => true);
 * // Map { 't1' => ['0_0', '0_2'], 't2' => ['0_1', '0_3'] }
 */
export function distributeTasks(
  taskIds: readonly string[],
  threads: readonly string[],
  previousOwner: ReadonlyMap<string, string>,
  isStateful: (taskId: string) => boolean,
): Map<string, string[]> {
  const shares = new Map(threads.map((thread) => [thread, [] as string[]]));
  if (threads.length === 0) return shares;
  const sorted = [...taskIds].sort();
  const stateful = sorted.filter(isStateful);
  const stateless = sorted.filter((id) => !isStateful(id));
  // Each kind separately: every thread gets its even share of each, give or take one.
  for (const kind of [stateful, stateless]) {
    const base = Math.floor(kind.length / threads.length);
    let roomAboveBase = kind.length % threads.length;
    const counts = new Map(threads.map((thread) => [thread, 0]));
    const placed = new Set<string>();
    const place = (taskId: string, thread: string) => {
      shares.get(thread)!.push(taskId);
      counts.set(thread, counts.get(thread)! + 1);
      placed.add(taskId);
    };
    // Tasks stay where they ran: first up to the even share, then one more while some thread may hold one more.
    for (const taskId of kind) {
      const owner = previousOwner.get(taskId);
      if (owner !== undefined && shares.has(owner) && counts.get(owner)! < base) place(taskId, owner);
    }
    for (const taskId of kind) {
      const owner = previousOwner.get(taskId);
      if (placed.has(taskId) || owner === undefined || !shares.has(owner) || roomAboveBase === 0 || counts.get(owner)! !== base) continue;
      place(taskId, owner);
      roomAboveBase--;
    }
    for (const taskId of kind) {
      if (!placed.has(taskId)) place(taskId, leastLoaded(threads, counts, shares));
    }
  }
  for (const share of shares.values()) share.sort();
  return shares;
}

/** The thread with the fewest tasks of this kind, then the fewest tasks in all, then the first. */
function leastLoaded(threads: readonly string[], counts: ReadonlyMap<string, number>, shares: ReadonlyMap<string, string[]>): string {
  let best = threads[0]!;
  for (const thread of threads) {
    const fewer = counts.get(thread)! - counts.get(best)! || shares.get(thread)!.length - shares.get(best)!.length;
    if (fewer < 0) best = thread;
  }
  return best;
}
