/**
 * Keys are kept as latin1 strings of their bytes: each byte becomes one UTF-16 code unit in
 * 0..255, so JavaScript's string comparison orders them exactly as unsigned byte comparison
 * (Kafka's `Bytes` order), and a Map can look them up without a custom hash.
 */
export function toSortKey(bytes: Buffer): string {
  return bytes.toString('latin1');
}

/** The bytes a sort key was made from (a new Buffer). */
export function fromSortKey(sortKey: string): Buffer {
  return Buffer.from(sortKey, 'latin1');
}

/**
 * The smallest sort key greater than every key starting with `prefix`, or null when there is none
 * (an empty prefix, or one made only of 0xff bytes): used as the exclusive end of a prefix scan.
 */
export function prefixUpperBound(prefix: string): string | null {
  let end = prefix.length;
  while (end > 0 && prefix.charCodeAt(end - 1) === 0xff) end--;
  if (end === 0) return null;
  return prefix.slice(0, end - 1) + String.fromCharCode(prefix.charCodeAt(end - 1) + 1);
}
