import type { KeyRange } from './leveldb-access.ts';

/**
 * Key layout: every stored key starts with one byte saying what it is, so the store's own
 * bookkeeping can never collide with a user's key. Data keys are `0x01 + key` (all in one range,
 * in the keys' byte order); `0x00 + "durable-writes"` holds the number of the last durable write.
 */
export const DATA_PREFIX = '\x01';
export const DATA_START = Buffer.from([0x01]);
export const DATA_END = Buffer.from([0x02]);
export const DURABLE_WRITES_KEY = Buffer.from('\x00durable-writes', 'latin1');
export const DATA_RANGE: KeyRange = { gte: DATA_START, lt: DATA_END };
