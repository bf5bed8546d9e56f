import { StreamsError } from '../common/index.ts';
import type { StoredRecord } from '../record/index.ts';
import type { CommandTarget } from './command-target.ts';
import type { TextSerde } from './text-serdes.ts';
import { parseTimestamp } from './timestamps.ts';

/** Where `consume` starts a partition no group has an offset for. */
export type Start = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'offset'; offset: number } | { kind: 'timestamp'; timestamp: number };

export function startOf(values: { offset?: unknown; 'from-beginning'?: unknown; 'from-timestamp'?: unknown }): Start {
  const given = [values.offset !== undefined && '--offset', values['from-beginning'] === true && '--from-beginning', values['from-timestamp'] !== undefined && '--from-timestamp'].filter(Boolean);
  if (given.length > 1) throw new StreamsError('INVALID_ARGUMENT', `${given.join(' and ')} exclude each other: pick one place to start`);
  if (values['from-timestamp'] !== undefined) return { kind: 'timestamp', timestamp: parseTimestamp('--from-timestamp', values['from-timestamp'] as string) };
  const offset = (values.offset as string | undefined) ?? 'earliest';
  if (offset === 'earliest' || offset === 'latest') return { kind: offset };
  if (!/^\d+$/.test(offset)) throw new StreamsError('INVALID_ARGUMENT', `--offset must be earliest, latest or a number, got '${offset}'`);
  return { kind: 'offset', offset: Number(offset) };
}

/**
 * Where a partition is read from: the group's committed offset (one retention has passed, or past
 * a truncated end, resets as Kafka's auto.offset.reset does), else `start`.
 */
export async function resumeAt(target: CommandTarget, topic: string, partition: number, committed: number | undefined, start: Start): Promise<number> {
  if (committed !== undefined) {
    const { earliest, latest } = await target.offsets(topic, partition);
    return committed < earliest ? earliest : Math.min(committed, latest);
  }
  if (start.kind === 'offset') return start.offset;
  if (start.kind === 'timestamp') return target.offsetForTimestamp(topic, partition, start.timestamp);
  const { earliest, latest } = await target.offsets(topic, partition);
  return start.kind === 'earliest' ? earliest : latest;
}

/** Lets serdes that need async set-up (registry schemas) prepare for a fetched batch; a no-op for the others. */
export async function prepareRead(topic: string, serdes: { key: TextSerde; value: TextSerde }, records: readonly StoredRecord[]): Promise<void> {
  if (records.length === 0) return;
  await serdes.key.prepareRead?.(topic, records.map((r) => r.key));
  await serdes.value.prepareRead?.(topic, records.map((r) => r.value));
}

/** Prints records below `end` until `max`; returns the offset to continue from when it stopped early. */
export function emit(records: readonly StoredRecord[], partition: number, end: number, max: number, read: { printed: number }, print: (partition: number, record: StoredRecord) => void): number | undefined {
  for (const record of records) {
    if (read.printed >= max || record.offset >= end) return record.offset;
    print(partition, record);
    read.printed++;
  }
  return undefined;
}
