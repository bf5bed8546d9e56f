/**
 * A store's key or value as JSON can carry it: what the serde produced, with Buffers as base64
 * text, bigints as decimal text and windowed keys as `{ key, start, end }`; other values (objects,
 * numbers, strings) as they are.
 *
 * @example
 * toJsonValue(windowed('alice', 0, 60_000)); // { key: 'alice', start: 0, end: 60000 }
 */
export function toJsonValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'bigint') return value.toString();
  if (isWindowed(value)) return { key: toJsonValue(value.key), start: value.window.start, end: value.window.end };
  return value;
}

function isWindowed(value: unknown): value is { key: unknown; window: { start: number; end: number } } {
  if (typeof value !== 'object' || value === null || !('key' in value) || !('window' in value)) return false;
  const window = (value as { window: unknown }).window;
  return typeof window === 'object' && window !== null && typeof (window as { start?: unknown }).start === 'number';
}
