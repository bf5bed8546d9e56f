import { visibleRecords } from '../log/index.ts';
import type { FetchedPage } from './cluster.ts';

/**
 * The records a read_uncommitted reader sees in stored batch bytes (whole batches, CRCs checked
 * by whoever read them from the log), from `offset` on: every record but markers, and the offset
 * after the last batch. Lets the bytes of `EmbeddedCluster.fetchStoredBatches` be decoded in
 * another thread than the one that read them.
 *
 * @example
 * const page = storedBatchesPage(await cluster.fetchStoredBatches('orders', 0, 40, 1 << 20), 40);
 */
export function storedBatchesPage(bytes: Buffer, offset: number): FetchedPage {
  return visibleRecords(bytes, offset, { upTo: Number.POSITIVE_INFINITY });
}
