import { createHash } from 'node:crypto';

/**
 * A topic's id (Kafka's topic UUID), derived from its name so it is the same after a restart and
 * distinct per topic: clients that key their state by topic id need that. Version-4 and variant
 * bits are set so it reads as a well-formed UUID.
 */
export function topicIdOf(name: string): Buffer {
  const id = createHash('sha256').update(`kstreams-topic:${name}`).digest().subarray(0, 16);
  id[6] = (id[6]! & 0x0f) | 0x40;
  id[8] = (id[8]! & 0x3f) | 0x80;
  return Buffer.from(id);
}
