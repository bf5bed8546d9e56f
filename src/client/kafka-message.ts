import type { MessageToProduce } from '@platformatic/kafka';
import type { ClusterRecord } from './cluster.ts';

/** A record as @platformatic/kafka produces it (null keys, values and header values left out, as the client wants). */
export function toKafkaMessage(topic: string, r: ClusterRecord): MessageToProduce<Buffer, Buffer, Buffer, Buffer> {
  return {
    topic,
    ...(r.key === null ? {} : { key: r.key }),
    ...(r.value === null ? {} : { value: r.value }),
    ...(r.partition === undefined ? {} : { partition: r.partition }),
    timestamp: BigInt(r.timestamp),
    headers: new Map(r.headers.filter((h) => h.value !== null).map((h) => [Buffer.from(h.key), h.value!])),
  };
}
