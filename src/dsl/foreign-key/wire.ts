import { createHash } from 'node:crypto';
import { StreamsError } from '../../common/index.ts';

/**
 * Byte formats of a foreign-key join's internal topics and subscription store (internal to
 * kstreams; Kafka's own formats differ):
 * - subscription (left → right, keyed by foreign key): `[1][instruction][hash length][hash][primary key]`
 * - response (right → left, keyed by primary key): `[1][hash length][hash][0|1 foreign value present][foreign value]`
 * - subscription store key: `[foreign key length: int32][foreign key][primary key]`, so a prefix
 *   scan by foreign key finds exactly its subscribers.
 * The hash is of the left row's serialized value when the subscription was sent; a response whose
 * hash no longer matches the row is stale and dropped.
 */
export type SubscriptionInstruction =
  /** The foreign key changed: forget the old subscription, say nothing. */
  | 'delete-no-propagate'
  /** The left row was deleted: forget it and send back a response so the result is deleted. */
  | 'delete-and-propagate'
  /** Answer even without a right row (left joins, or a result that must be deleted). */
  | 'propagate-null-if-absent'
  /** Answer only when the right row exists. */
  | 'propagate-only-if-present';

const INSTRUCTIONS: readonly SubscriptionInstruction[] = ['delete-no-propagate', 'delete-and-propagate', 'propagate-null-if-absent', 'propagate-only-if-present'];
const VERSION = 1;

/** Hash of a serialized left value (md5: cheap, collisions irrelevant for staleness checks). */
export function valueHash(bytes: Buffer | null): Buffer | null {
  return bytes === null ? null : createHash('md5').update(bytes).digest();
}

export interface Subscription {
  readonly instruction: SubscriptionInstruction;
  readonly hash: Buffer | null;
  readonly primaryKey: Buffer;
}

export function encodeSubscription(subscription: Subscription): Buffer {
  const hash = subscription.hash ?? Buffer.alloc(0);
  return Buffer.concat([Buffer.from([VERSION, INSTRUCTIONS.indexOf(subscription.instruction), hash.length]), hash, subscription.primaryKey]);
}

export function decodeSubscription(bytes: Buffer): Subscription {
  const instruction = INSTRUCTIONS[bytes[1] ?? -1];
  const hashLength = bytes[2];
  if (bytes[0] !== VERSION || instruction === undefined || hashLength === undefined || bytes.length < 3 + hashLength) {
    throw new StreamsError('CORRUPT_RECORD', `foreign-key join: a subscription record of ${bytes.length} bytes is not in kstreams' format`);
  }
  return { instruction, hash: hashLength === 0 ? null : bytes.subarray(3, 3 + hashLength), primaryKey: bytes.subarray(3 + hashLength) };
}

export interface SubscriptionResponse {
  readonly hash: Buffer | null;
  readonly foreignValue: Buffer | null;
}

export function encodeResponse(response: SubscriptionResponse): Buffer {
  const hash = response.hash ?? Buffer.alloc(0);
  const value = response.foreignValue;
  return Buffer.concat([Buffer.from([VERSION, hash.length]), hash, Buffer.from([value === null ? 0 : 1]), value ?? Buffer.alloc(0)]);
}

export function decodeResponse(bytes: Buffer): SubscriptionResponse {
  const hashLength = bytes[1];
  if (bytes[0] !== VERSION || hashLength === undefined || bytes.length < 3 + hashLength) {
    throw new StreamsError('CORRUPT_RECORD', `foreign-key join: a response record of ${bytes.length} bytes is not in kstreams' format`);
  }
  const present = bytes[2 + hashLength] === 1;
  return { hash: hashLength === 0 ? null : bytes.subarray(2, 2 + hashLength), foreignValue: present ? bytes.subarray(3 + hashLength) : null };
}

/** The subscription store key of (foreign key, primary key). */
export function subscriptionStoreKey(foreignKey: Buffer, primaryKey: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + foreignKey.length + primaryKey.length);
  out.writeInt32BE(foreignKey.length, 0);
  foreignKey.copy(out, 4);
  primaryKey.copy(out, 4 + foreignKey.length);
  return out;
}

/** The prefix shared by every subscription store key of `foreignKey`. */
export function subscriptionPrefix(foreignKey: Buffer): Buffer {
  return subscriptionStoreKey(foreignKey, Buffer.alloc(0));
}

/** The primary key inside a subscription store key. */
export function primaryKeyOf(storeKey: Buffer): Buffer {
  return storeKey.subarray(4 + storeKey.readInt32BE(0));
}
