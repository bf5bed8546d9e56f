/** One generated input record: the topic it is piped into, key, value (null = tombstone) and timestamp. */
export interface InputRecord<K = unknown, V = unknown> {
  readonly topic: string;
  readonly key: K | null;
  readonly value: V | null;
  readonly timestamp: number;
}
