/**
 * What a member tells the application's group when it joins (the userData of its subscription),
 * as JSON: the tasks it runs and keeps standby copies of, its `application.server`, and — since
 * version 2 — its *task offset sums*: for every task whose state it holds locally, the sum of the
 * changelog offsets that state has reached (Kafka Streams' `taskOffsetSums`), or `LATEST_OFFSET`
 * for a task it runs (its state is as current as the changelog). The leader turns the sums into
 * lags against the changelogs' end offsets, so a stateful task only moves to a member that has
 * (nearly) caught up.
 *
 * Decoding is tolerant: a version 1 member (no sums) is read as holding its running tasks current
 * and nothing else; unreadable data reads as a member holding nothing.
 *
 * @example
 * const userData = encodeSubscription({ active: ['0_1'], standbys: ['0_2'], offsetSums: new Map([['0_1', LATEST_OFFSET], ['0_2', 4_812]]) });
 * decodeSubscription(userData).offsetSums.get('0_2'); // 4812
 */

/** The offset sum of a task the member runs: caught up by definition (Kafka's `Task.LATEST_OFFSET`). */
export const LATEST_OFFSET = -2;

const VERSION = 2;

export interface MemberSubscription {
  /** Tasks the member runs. */
  readonly active: readonly string[];
  /** Tasks it keeps standby (or warm-up) copies of. */
  readonly standbys: readonly string[];
  /** Its `application.server`, when it has one. */
  readonly host?: string | undefined;
  /** Per task with local state: the sum of its changelog offsets, or `LATEST_OFFSET` for a running task. */
  readonly offsetSums: ReadonlyMap<string, number>;
}

export function encodeSubscription(subscription: MemberSubscription): Buffer {
  const { active, standbys, host, offsetSums } = subscription;
  return Buffer.from(JSON.stringify({
    version: VERSION, tasks: active, standbys, ...(host === undefined ? {} : { host }), offsetSums: Object.fromEntries(offsetSums),
  }));
}

export function decodeSubscription(userData: Buffer): MemberSubscription {
  let decoded: { [key: string]: unknown };
  try {
    const parsed: unknown = JSON.parse(userData.toString());
    decoded = parsed !== null && typeof parsed === 'object' ? parsed as { [key: string]: unknown } : {};
  } catch {
    decoded = {};
  }
  const active = strings(decoded['tasks']);
  const standbys = strings(decoded['standbys']);
  const host = typeof decoded['host'] === 'string' ? decoded['host'] : undefined;
  const offsetSums = new Map<string, number>();
  const sums = decoded['offsetSums'];
  if (sums !== null && typeof sums === 'object') {
    for (const [taskId, sum] of Object.entries(sums as { [key: string]: unknown })) {
      if (Number.isSafeInteger(sum) && ((sum as number) >= 0 || sum === LATEST_OFFSET)) offsetSums.set(taskId, sum as number);
    }
  }
  // Version 1 had no sums: its running tasks are current.
  for (const taskId of active) if (!offsetSums.has(taskId)) offsetSums.set(taskId, LATEST_OFFSET);
  return { active, standbys, host, offsetSums };
}

/** The `application.server` a member gave when it joined, or undefined. */
export function memberHostOf(userData: Buffer): string | undefined {
  return decodeSubscription(userData).host;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
}
