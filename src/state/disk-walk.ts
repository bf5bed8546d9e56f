import type { KeyValue } from './api.ts';
import type { SyncCursor } from './leveldb-thread.ts';
import { fromSortKey, toSortKey } from './sort-key.ts';

/**
 * A synchronous walk that merges a disk cursor (alternating stored keys and values, each stored key
 * one prefix byte longer than its sort key) with the sort keys of buffered writes in the same range,
 * ascending or `reverse`. Each key reached is asked for its value now (`valueOf`: its buffered
 * write if any, else what the walk read from disk; null = deleted, skipped), so writes made while
 * walking count. Holds one cursor step at a time; the cursor opens at the first step, and closing
 * the walk closes it.
 */
export function* walkDisk(
  openCursor: () => SyncCursor,
  buffered: readonly string[],
  reverse: boolean,
  valueOf: (sortKey: string, onDisk: Buffer | undefined) => Buffer | null,
): Generator<KeyValue<Buffer, Buffer>> {
  const cursor = openCursor();
  try {
    let step: Array<Buffer | null> = [];
    let i = 0;
    let b = 0;
    let diskDone = false;
    for (;;) {
      if (i === step.length && !diskDone) {
        step = cursor.next();
        i = 0;
        diskDone = step.length === 0;
      }
      const diskKey = i < step.length ? toSortKey(step[i]!).slice(1) : undefined;
      const bufferedKey = buffered[b];
      if (diskKey === undefined && bufferedKey === undefined) return;
      let key: string;
      let onDisk: Buffer | undefined;
      if (diskKey === undefined || (bufferedKey !== undefined && (reverse ? bufferedKey > diskKey : bufferedKey < diskKey))) {
        key = bufferedKey!;
        b++;
      } else {
        key = diskKey;
        onDisk = step[i + 1]!;
        i += 2;
        if (bufferedKey === diskKey) b++;
      }
      const value = valueOf(key, onDisk);
      if (value !== null) yield { key: fromSortKey(key), value };
    }
  } finally {
    cursor.close();
  }
}
