import type { BaseOptions, Consumer } from '@platformatic/kafka';
import { StreamsError, getLogger } from '../common/index.ts';
import { clientErrorHas } from '../client/index.ts';
import type { CommittedPosition, KafkaClientModule } from '../client/index.ts';
import type { GroupSession } from './command-target.ts';

const log = getLogger('cli');
/** Kafka's session.timeout.ms default: a member that stops heartbeating is removed after it. */
const SESSION_TIMEOUT_MS = 45_000;
const HEARTBEAT_INTERVAL_MS = 3_000;
/** How long joining keeps retrying while a fresh cluster's group coordinator is not ready. */
const JOIN_RETRY_MS = 30_000;

const flagged = (error: unknown, key: string, value: unknown = true) => clientErrorHas(error, key, value);

/** Closes the client; a failure to close changes nothing for the command, which is done with it. */
async function closeQuietly(consumer: Consumer): Promise<void> {
  try {
    await consumer.close(true);
  } catch {
    // Already closed or the connection is gone.
  }
}

/**
 * `consume --group` on a Kafka-protocol cluster: a member of the group subscribed to one topic, as
 * kafka-console-consumer is. The group's coordinator hands out the topic's partitions among its
 * members (the client's round-robin assignor) and moves them when members join or leave; the
 * client heartbeats and rejoins by itself. Commits are made as this member of its generation.
 *
 * @example
 * const session = await NetworkGroupSession.join(client, options, 'audit', 'events', where);
 * session.assigned();                                  // e.g. [0, 2]
 * await session.commit([{ topic: 'events', partition: 0, offset: 42 }]);
 * await session.leave();
 */
export class NetworkGroupSession implements GroupSession {
  private partitions: number[] | undefined = [];
  private generation = 0;
  private failure: StreamsError | undefined;
  private waiting: Array<() => void> = [];

  private constructor(private readonly consumer: Consumer, private readonly group: string, private readonly topic: string, private readonly where: string) {
    // Kafka's eager protocol: a member gives up its partitions when a rebalance starts, and gets
    // its new ones when it ends.
    consumer.on('consumer:group:rebalance', () => {
      this.partitions = undefined;
      this.generation++;
    });
    consumer.on('consumer:group:join', (event: { assignments?: Array<{ topic: string; partitions: number[] }> | null }) => {
      this.partitions = (event.assignments ?? []).filter((a) => a.topic === topic).flatMap((a) => a.partitions).sort((a, b) => a - b);
      this.generation++;
      log.info(`group "${group}": this member reads ${topic} partition(s) ${this.partitions.length === 0 ? '(none)' : this.partitions.join(', ')}`);
      this.wake();
    });
    // A rejoin that failed for good: the loop stops with it rather than reading without a group.
    consumer.on('error', (error: Error) => {
      this.failure = new StreamsError('PROTOCOL_ERROR', `group "${group}" at ${where}: ${error.message}`, { cause: error });
      this.wake();
    });
  }

  /** Joins, retrying while the coordinator is not ready; resolves once this member has its first assignment. */
  static async join(client: KafkaClientModule, options: BaseOptions, group: string, topic: string, where: string): Promise<NetworkGroupSession> {
    // No retries inside the client: a commit refused in a rebalance must not rejoin and commit
    // partitions that may have moved on; the heartbeat rejoins.
    const consumer = new client.Consumer({
      ...options, groupId: group, autocommit: false, retries: 0, sessionTimeout: SESSION_TIMEOUT_MS, heartbeatInterval: HEARTBEAT_INTERVAL_MS,
    });
    const session = new NetworkGroupSession(consumer, group, topic, where);
    consumer.topics.trackAll(topic);
    const deadline = Date.now() + JOIN_RETRY_MS;
    for (let delayMs = 100; ; delayMs = Math.min(2 * delayMs, 1_000)) {
      try {
        await consumer.joinGroup({});
        return session;
      } catch (error) {
        if (flagged(error, 'apiId', 'INCONSISTENT_GROUP_PROTOCOL')) {
          await closeQuietly(consumer);
          throw new StreamsError('ILLEGAL_STATE', `group "${group}" at ${where} has members that use another protocol (a Kafka Streams application?): consume with another --group`, { cause: error });
        }
        if (!flagged(error, 'canRetry') || Date.now() + delayMs > deadline) {
          await closeQuietly(consumer);
          throw new StreamsError('PROTOCOL_ERROR', `joining group "${group}" at ${where} failed: ${(error as Error).message}`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  assigned(): readonly number[] | undefined {
    if (this.failure !== undefined) throw this.failure;
    return this.partitions;
  }

  get assignment(): number {
    return this.generation;
  }

  changed(signal?: AbortSignal, timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.waiting.push(done);
    });
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }

  async commit(positions: readonly CommittedPosition[]): Promise<boolean> {
    if (positions.length === 0) return true;
    try {
      await this.consumer.commit({ offsets: positions.map((p) => ({ topic: p.topic, partition: p.partition, offset: BigInt(p.offset), leaderEpoch: -1 })) });
      return true;
    } catch (error) {
      // The group moved to another generation: whoever owns the partitions now reads on from the last commit.
      if (flagged(error, 'needsRejoin')) return false;
      throw new StreamsError('PROTOCOL_ERROR', `committing offsets of group "${this.group}" (${this.topic}) at ${this.where} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async leave(): Promise<void> {
    this.wake();
    try {
      await this.consumer.leaveGroup(true);
    } catch (error) {
      log.warn(`leaving group "${this.group}" at ${this.where}: ${(error as Error).message}`);
    }
    await closeQuietly(this.consumer);
  }
}
