import { join } from 'node:path';

/** A segment's files are named by its base offset, zero-padded to 20 digits, as Kafka names them. */
export function segmentFileName(baseOffset: number, suffix: '.log' | '.index' | '.timeindex'): string {
  return `${String(baseOffset).padStart(20, '0')}${suffix}`;
}

export function segmentPath(dir: string, baseOffset: number, suffix: '.log' | '.index' | '.timeindex'): string {
  return join(dir, segmentFileName(baseOffset, suffix));
}

/** The base offset named by a `.log` file, or undefined for other files. */
export function baseOffsetOfLogFile(fileName: string): number | undefined {
  const match = /^(\d{20})\.log$/.exec(fileName);
  return match === null ? undefined : Number(match[1]);
}

/** A partition's directory, `<topic>-<partition>` as in Kafka. */
export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}
