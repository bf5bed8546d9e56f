import type { StoredRecord } from '../record/index.ts';
import type { CommandTarget, GroupSession, IsolationLevel } from './command-target.ts';
import { emit, prepareRead, resumeAt, type Start } from './consume-reading.ts';
import type { TextSerde } from './text-serdes.ts';

/** How long a --follow fetch waits, shared among the member's partitions (ms). */
const FOLLOW_WAIT_MS = 500;

/** What a group member's read needs from the command line. */
export interface MemberRead {
  readonly target: CommandTarget;
  readonly group: string;
  readonly topic: string;
  readonly start: Start;
  readonly max: number;
  readonly follow: boolean;
  /** With --follow: stop after this long without a record. */
  readonly timeoutMs: number | undefined;
  readonly isolationLevel: IsolationLevel;
  readonly signal: AbortSignal | undefined;
  readonly serdes: { key: TextSerde; value: TextSerde };
  readonly print: (partition: number, record: StoredRecord) => void;
}

/**
 * `consume --group G` as a member of the group, like kafka-console-consumer --group: it reads only
 * the partitions the group assigns it, each from the group's committed offset (else from where the
 * options say), and commits after every batch, so the member that takes a partition over reads on
 * where this one stopped. Records fetched from a partition the group has meanwhile moved are left
 * to its next owner. Without --follow it stops once its partitions are read up to the end they had
 * when it got them; it always leaves the group when it stops.
 */
export async function consumeAsMember(session: GroupSession, read: MemberRead): Promise<void> {
  const { target, topic } = read;
  const positions = new Map<number, number>();
  const ends = new Map<number, number>();
  const counter = { printed: 0 };
  let assignment = Number.NaN;
  let owned: readonly number[] | undefined;
  let lastRecordAt = Date.now();
  const timedOut = () => read.timeoutMs !== undefined && Date.now() - lastRecordAt >= read.timeoutMs;
  const stopped = () => read.signal?.aborted === true || counter.printed >= read.max || (read.follow && timedOut());
  try {
    while (!stopped()) {
      if (session.assignment !== assignment) {
        // A new assignment (or a rebalance under way): start over from the group's offsets.
        assignment = session.assignment;
        owned = session.assigned();
        positions.clear();
        ends.clear();
        const committed = owned === undefined || owned.length === 0 ? [] : (await target.committedOffsets(read.group)).filter((c) => c.topic === topic);
        for (const partition of owned ?? []) {
          positions.set(partition, await resumeAt(target, topic, partition, committed.find((c) => c.partition === partition)?.offset, read.start));
          if (!read.follow) ends.set(partition, (await target.offsets(topic, partition, read.isolationLevel)).latest);
        }
        continue;
      }
      const reading = (owned ?? []).filter((p) => read.follow || positions.get(p)! < ends.get(p)!);
      if (reading.length === 0) {
        if (!read.follow && owned !== undefined) return;
        if (session.assignment !== assignment) continue;
        const waitMs = read.timeoutMs === undefined ? undefined : Math.max(0, read.timeoutMs - (Date.now() - lastRecordAt));
        await session.changed(read.signal, waitMs);
        continue;
      }
      const waitMs = read.follow ? Math.max(50, Math.floor(FOLLOW_WAIT_MS / reading.length)) : 0;
      for (const partition of reading) {
        if (stopped() || session.assignment !== assignment) break;
        const position = positions.get(partition)!;
        const fetched = await target.fetch(topic, partition, position, { maxWaitMs: waitMs, isolationLevel: read.isolationLevel, ...(read.signal === undefined ? {} : { signal: read.signal }) });
        await prepareRead(topic, read.serdes, fetched.records);
        if (session.assignment !== assignment) break;
        if (fetched.records.length > 0) lastRecordAt = Date.now();
        const next = emit(fetched.records, partition, read.follow ? Number.MAX_SAFE_INTEGER : ends.get(partition)!, read.max, counter, read.print) ?? fetched.nextOffset;
        positions.set(partition, next);
        if (next !== position) await session.commit([{ topic, partition, offset: next }]);
        else if (!read.follow) ends.set(partition, position);
      }
    }
  } finally {
    await session.leave();
  }
}
