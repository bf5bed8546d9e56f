/**
 * A list of byte strings (or nulls) packed into one ArrayBuffer, so a whole batch of keys and values
 * crosses to or from the LevelDB thread as one transferable block instead of one structured clone
 * per Buffer (a small Buffer is a view into an 8 KiB pool, and cloning it copies the pool).
 *
 * Layout, per item: a 32-bit signed big-endian length (-1 = null), then that many bytes. The
 * thread's source (`leveldb-thread-source.ts`) reads and writes the same layout.
 */
export function packList(items: ReadonlyArray<Buffer | Uint8Array | null | undefined>): ArrayBuffer {
  let size = 0;
  for (const item of items) size += 4 + (item?.length ?? 0);
  const out = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const item of items) {
    if (item === null || item === undefined) {
      out.writeInt32BE(-1, at);
      at += 4;
      continue;
    }
    out.writeInt32BE(item.length, at);
    out.set(item, at + 4);
    at += 4 + item.length;
  }
  return out.buffer as ArrayBuffer;
}

/** The items of a packed list, as views into it (no copy). */
export function unpackList(packed: ArrayBuffer): Array<Buffer | null> {
  const bytes = Buffer.from(packed);
  const out: Array<Buffer | null> = [];
  let at = 0;
  while (at < bytes.length) {
    const length = bytes.readInt32BE(at);
    at += 4;
    if (length < 0) {
      out.push(null);
      continue;
    }
    out.push(bytes.subarray(at, at + length));
    at += length;
  }
  return out;
}
