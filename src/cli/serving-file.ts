import { readFileSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive, writeFileAtomic } from '../common/index.ts';

/** The file in a data directory that says which process serves it, and on which loopback port. */
export const SERVING_FILE = 'kstreams-serving.json';

/** What a process serving a data directory announces. */
export interface ServingAnnouncement {
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  /** What runs there, for messages: `kstreams broker` or `kstreams run <application.id>`. */
  readonly serves: string;
  /** The application id when `kstreams run` serves its own engine. */
  readonly applicationId?: string;
  readonly since: string;
}

/**
 * Announces that this process serves `dataDir` over the Kafka protocol on 127.0.0.1:`port`, so
 * the command line reaches the open engine through that port instead of opening the directory
 * (which the engine's lock keeps to one process). Written atomically; `remove()` on close.
 *
 * @example
 * const announced = announceServing('./kstreams-data', 43121, 'user-spending');
 * // … later
 * announced.remove();
 */
export function announceServing(dataDir: string, port: number, applicationId?: string): { remove(): void } {
  const path = join(dataDir, SERVING_FILE);
  const announcement: ServingAnnouncement = {
    pid: process.pid, host: hostname(), port, serves: applicationId === undefined ? 'kstreams broker' : `kstreams run ${applicationId}`,
    ...(applicationId === undefined ? {} : { applicationId }), since: new Date().toISOString(),
  };
  writeFileAtomic(path, JSON.stringify(announcement));
  return {
    remove() {
      // Only our own announcement: a later process may have replaced it.
      if (readServing(dataDir)?.pid === process.pid) unlinkSync(path);
    },
  };
}

/**
 * The live announcement of `dataDir`, or undefined when nobody serves it. An announcement left by
 * a process that no longer runs on this host (killed before it could remove it) is stale and
 * ignored; the engine's lock is taken over the same way when the directory is opened.
 */
export function readServing(dataDir: string): ServingAnnouncement | undefined {
  let announcement: ServingAnnouncement;
  try {
    announcement = JSON.parse(readFileSync(join(dataDir, SERVING_FILE), 'utf8')) as ServingAnnouncement;
  } catch {
    return undefined;
  }
  if (typeof announcement.port !== 'number' || announcement.host !== hostname() || !isProcessAlive(announcement.pid)) return undefined;
  return announcement;
}
