import type { TopicConfig } from './topic-config.ts';

/** What retention needs to know about a closed segment. */
export interface SegmentSummary {
  readonly baseOffset: number;
  readonly sizeBytes: number;
  readonly maxTimestamp: number;
}

/**
 * How many of the oldest closed segments retention deletes — pure, so it is easy to test.
 * By time: leading segments whose newest record is older than `now - retention.ms`. By size: the
 * oldest whole segments while the partition (closed + active bytes) stays above `retention.bytes`
 * after removing them. Only for topics whose cleanup policy includes `delete`; never the active segment.
 */
export function planRetention(closed: readonly SegmentSummary[], activeBytes: number, config: TopicConfig, nowMs: number): number {
  if (!config['cleanup.policy'].delete) return 0;
  let byTime = 0;
  const retentionMs = config['retention.ms'];
  if (retentionMs >= 0) {
    while (byTime < closed.length && closed[byTime]!.maxTimestamp < nowMs - retentionMs) byTime++;
  }
  let bySize = 0;
  const retentionBytes = config['retention.bytes'];
  if (retentionBytes >= 0) {
    let excess = closed.reduce((sum, s) => sum + s.sizeBytes, activeBytes) - retentionBytes;
    while (bySize < closed.length && excess - closed[bySize]!.sizeBytes >= 0) {
      excess -= closed[bySize]!.sizeBytes;
      bySize++;
    }
  }
  return Math.max(byTime, bySize);
}
