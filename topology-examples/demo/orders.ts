/** Deterministic sample orders for the demo: the same arguments always give the same stream. */

import type { Order } from '../user-spending.ts';

/** A record as `LogEngine.produce` takes it. */
export interface OrderRecord {
  key: Buffer;
  value: Buffer;
  timestamp: number;
  headers: Array<{ key: string; value: Buffer | null }>;
}

const ITEMS = ['book', 'coffee', 'headphones', 'keyboard', 'lamp', 'mug', 'plant', 'shoes', 'tea', 'umbrella'];
const START_MS = Date.UTC(2026, 0, 1);

/** The user id of user number `n`, padded so ids sort naturally. */
export function userId(n: number): string {
  return `user-${String(n).padStart(5, '0')}`;
}

/**
 * Yields `count` orders in arrays of at most `batchSize`, 10 ms apart, from `users` users chosen
 * by a seeded generator (mulberry32), so runs are comparable.
 */
export function* generateOrders(count: number, users: number, batchSize: number): Generator<OrderRecord[]> {
  const random = mulberry32(42);
  let batch: OrderRecord[] = [];
  for (let orderId = 0; orderId < count; orderId++) {
    const user = userId(Math.floor(random() * users));
    const order: Order = {
      orderId,
      user,
      item: ITEMS[Math.floor(random() * ITEMS.length)]!,
      amountCents: 100 + Math.floor(random() * 9_900),
    };
    batch.push({
      key: Buffer.from(user),
      value: Buffer.from(JSON.stringify(order)),
      timestamp: START_MS + orderId * 10,
      headers: [],
    });
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** A small, fast, seedable PRNG returning floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
