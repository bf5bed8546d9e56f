/**
 * Saving and rebuilding a partition's producer state (`producer-state.json` in the partition's
 * directory, written atomically): the snapshot says which log end offset it describes; on open
 * the batches from there to the log end are replayed on top of it. A snapshot past the log end
 * (the tail was cut by recovery) or an unreadable one is dropped, and the state is rebuilt from
 * the log start. Snapshots are written when a segment is rolled and on close.
 *
 * @example
 * rebuildProducerState(table, dir, { logStartOffset: 0, logEndOffset: 120, readBatches: (o, n) => log.readBatches(o, n) });
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getLogger, writeFileAtomic } from '../../common/index.ts';
import { decodeBatch, isControl, lastOffsetOf, readBatchHeader } from '../../record/index.ts';
import { decodeMarkerKey } from './control-record.ts';
import type { ProducerStateSnapshot, ProducerStateTable } from './producer-state.ts';

const log = getLogger('log');
const FILE = 'producer-state.json';
const REPLAY_CHUNK_BYTES = 1 << 20;

/** What a rebuild reads from the partition. */
export interface ReplaySource {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  /** Whole stored batches from the one holding `offset`, about `maxBytes` of them; empty at the end. */
  readBatches(offset: number, maxBytes: number): Buffer;
}

/** Writes the table as the snapshot of the log up to `logEndOffset`. */
export function saveProducerState(table: ProducerStateTable, dir: string, logEndOffset: number): void {
  writeFileAtomic(join(dir, FILE), JSON.stringify(table.toSnapshot(logEndOffset)));
}

/** Loads the snapshot (when usable) and replays the batches after it, so the table matches the log. */
export function rebuildProducerState(table: ProducerStateTable, dir: string, source: ReplaySource): void {
  const snapshot = readSnapshot(dir, source.logEndOffset);
  table.clear();
  let from = source.logStartOffset;
  if (snapshot !== undefined) {
    table.load(snapshot);
    from = Math.max(snapshot.offset, source.logStartOffset);
  }
  replay(table, source, from);
  table.dropBefore(source.logStartOffset);
}

/** Observes every batch from `from` to the log end. */
export function replay(table: ProducerStateTable, source: ReplaySource, from: number): void {
  let offset = from;
  while (offset < source.logEndOffset) {
    const bytes = source.readBatches(offset, REPLAY_CHUNK_BYTES);
    if (bytes.length === 0) break;
    for (let position = 0; position < bytes.length; ) {
      const header = readBatchHeader(bytes, position)!;
      if (lastOffsetOf(header) >= offset) {
        const marker = isControl(header) ? decodeMarkerKey(decodeBatch(bytes, position, -Infinity, false).records[0]?.key ?? null) : undefined;
        table.observe(header, marker);
      }
      offset = lastOffsetOf(header) + 1;
      position += header.sizeInBytes;
    }
  }
}

function readSnapshot(dir: string, logEndOffset: number): ProducerStateSnapshot | undefined {
  const path = join(dir, FILE);
  if (!existsSync(path)) return undefined;
  try {
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as ProducerStateSnapshot;
    if (snapshot.version === 1 && Number.isSafeInteger(snapshot.offset) && snapshot.offset <= logEndOffset) return snapshot;
    // Past the log end: the tail it describes was cut by recovery; the log is the truth.
  } catch (error) {
    log.info(`${path} is unreadable (${(error as Error).message}); rebuilding producer state from the log`);
  }
  rmSync(path, { force: true });
  return undefined;
}
