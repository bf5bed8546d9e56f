/** A new key and value, as a `[key, value]` pair or a `{ key, value }` object (mappers may return either). */
export type KeyValuePair<K, V> = readonly [K, V] | { readonly key: K; readonly value: V };

/** The key of either pair shape. */
export function pairKey<K, V>(pair: KeyValuePair<K, V>): K {
  return Array.isArray(pair) ? (pair as readonly [K, V])[0] : (pair as { key: K }).key;
}

/** The value of either pair shape. */
export function pairValue<K, V>(pair: KeyValuePair<K, V>): V {
  return Array.isArray(pair) ? (pair as readonly [K, V])[1] : (pair as { value: V }).value;
}
