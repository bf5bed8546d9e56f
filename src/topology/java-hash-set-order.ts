/**
 * The iteration order of a Java `HashSet<String>` holding `items` (in insertion order). Kafka
 * Streams prints source topics and store names from such sets, so matching its `describe()` text
 * byte for byte needs the same order: buckets of `(h ^ h >>> 16) & (capacity - 1)` over Java's
 * String.hashCode, each bucket in insertion order.
 */
export function javaHashSetOrder(items: Iterable<string>): string[] {
  const unique = [...new Set(items)];
  let capacity = 16;
  while (unique.length > capacity * 0.75) capacity *= 2;
  const buckets: string[][] = Array.from({ length: capacity }, () => []);
  for (const item of unique) {
    const h = javaStringHash(item);
    buckets[(h ^ (h >>> 16)) & (capacity - 1)]!.push(item);
  }
  return buckets.flat();
}

/** Java's String.hashCode: s[0]*31^(n-1) + … + s[n-1] in 32-bit arithmetic. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
