import fc from 'fast-check';
import type { InputRecord } from './input-record.ts';

/**
 * Several topics' record streams merged into one arrival order that keeps each topic's own order
 * (as a consumer reading them would see): which topic comes next is generated, and shrinks toward
 * taking them one after the other.
 *
 * @example
 * const input = interleave(keyedEvents({ topic: 'orders', ... }), keyedEvents({ topic: 'payments', ... }));
 */
export function interleave(...streams: ReadonlyArray<fc.Arbitrary<ReadonlyArray<InputRecord>>>): fc.Arbitrary<InputRecord[]> {
  return fc.tuple(...streams).chain((lists) => {
    const total = lists.reduce((sum, list) => sum + list.length, 0);
    return fc.array(fc.nat(lists.length - 1), { minLength: total, maxLength: total }).map((choices) => {
      const positions = lists.map(() => 0);
      const merged: InputRecord[] = [];
      for (const choice of choices) {
        // Take from the chosen stream, or the next one that still has records.
        for (let offset = 0; offset < lists.length; offset++) {
          const index = (choice + offset) % lists.length;
          const list = lists[index]!;
          if (positions[index]! < list.length) {
            merged.push(list[positions[index]!]!);
            positions[index]!++;
            break;
          }
        }
      }
      return merged;
    });
  });
}

/**
 * A second stream derived from the first, record by record, for inputs whose topics are related —
 * payments for generated orders, with the same keys — kept in step by `interleave`.
 *
 * @example
 * const orders = keyedEvents({ topic: 'orders', keys, values: amounts });
 * const input = orders.chain((o) => interleave(fc.constant(o), correlated(o, 'payments', (order) => fc.option(fc.constant(order.value)))));
 */
export function correlated<K, V, W>(
  records: ReadonlyArray<InputRecord<K, V>>,
  topic: string,
  derive: (record: InputRecord<K, V>) => fc.Arbitrary<W | null>,
  delay: fc.Arbitrary<number> = fc.constant(0),
): fc.Arbitrary<Array<InputRecord<K, W>>> {
  return fc.tuple(...records.map((record) => fc.tuple(derive(record), delay))).map((pairs) =>
    pairs.flatMap(([value, after], i) => (value === null ? [] : [{ topic, key: records[i]!.key, value, timestamp: records[i]!.timestamp + after }])));
}
