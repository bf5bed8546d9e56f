import { getLogger } from '../common/index.ts';
import type { Cluster } from '../client/index.ts';

const log = getLogger('runtime');

/** An input partition a task reads, and the next offset it will fetch. */
export interface ReadPosition {
  readonly topic: string;
  readonly partition: number;
  readonly position: number;
}

/**
 * The one-line summary a running application logs every `log.summary.interval.ms` (as Kafka
 * Streams does), so a running app is never silent: records processed and commits since the last
 * line, the rate, and how far its input partitions lag behind their ends. Counting is two
 * additions per loop; the lag is asked of the cluster once per interval, all partitions at once.
 *
 * @example
 * // 2026-12-05T10:00:00Z INFO [runtime] processed 61,234 records (1,020/s) and committed 2 times in the last 60 s; lag 1,410 records on 4 input partitions
 */
export class ProgressSummary {
  private processed = 0;
  private commits = 0;
  private lastAt: number;

  constructor(private readonly intervalMs: number, now: number) {
    this.lastAt = now;
  }

  recordProcessed(count: number): void {
    this.processed += count;
  }

  recordCommit(): void {
    this.commits++;
  }

  /**
 * Logs the summary when the interval has passed (asking for the read positions only then). A failed
 * lag lookup leaves the lag out.
 */
  async maybeLog(now: number, cluster: Cluster, positionsNow: () => readonly ReadPosition[]): Promise<void> {
    if (this.intervalMs === 0 || now - this.lastAt < this.intervalMs) return;
    const positions = positionsNow();
    const seconds = (now - this.lastAt) / 1000;
    const { processed, commits } = this;
    this.processed = 0;
    this.commits = 0;
    this.lastAt = now;
    const lag = await totalLag(cluster, positions).catch(() => undefined);
    const rate = Math.round(processed / seconds).toLocaleString('en-US');
    const lagText = lag === undefined ? 'lag unknown (the cluster did not answer)' : `lag ${lag.toLocaleString('en-US')} records on ${positions.length} input partitions`;
    log.info(`processed ${processed.toLocaleString('en-US')} records (${rate}/s) and committed ${commits} times in the last ${Math.round(seconds)} s; ${lagText}`);
  }
}

async function totalLag(cluster: Cluster, positions: readonly ReadPosition[]): Promise<number> {
  const ends = await Promise.all(positions.map(({ topic, partition }) => cluster.offsets(topic, partition)));
  return positions.reduce((sum, { position }, i) => sum + Math.max(0, ends[i]!.latest - position), 0);
}
