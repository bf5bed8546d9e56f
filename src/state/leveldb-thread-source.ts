/**
 * The code of the LevelDB thread (see `leveldb-thread.ts`), as a CommonJS source string run with
 * `new Worker(source, { eval: true })`: no file to locate next to the compiled or the TypeScript
 * module, and nothing for a TypeScript loader to do in the thread.
 *
 * The thread owns the databases it opens (LevelDB lets one handle per directory per process open a
 * database) and answers requests `{ id, op, sync, ... }` in arrival order of their start; a request
 * with `sync` is answered on the sync port and announced by setting the shared signal word to 1 and
 * notifying it, as the requesting thread is blocked in `Atomics.wait` on that word; other replies
 * go to the parent port. Keys, values and ranges travel as packed lists (`packed-buffers.ts`).
 */
export const LEVELDB_THREAD_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { ClassicLevel } = require(workerData.classicLevel);
const signal = new Int32Array(workerData.signal);
const syncPort = workerData.syncPort;
const databases = new Map();
const iterators = new Map();
let nextHandle = 1;

function pack(items) {
  let size = 0;
  for (const item of items) size += 4 + (item == null ? 0 : item.length);
  const out = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const item of items) {
    if (item == null) { out.writeInt32BE(-1, at); at += 4; continue; }
    out.writeInt32BE(item.length, at);
    out.set(item, at + 4);
    at += 4 + item.length;
  }
  return out.buffer;
}
function unpack(packed) {
  const bytes = Buffer.from(packed);
  const out = [];
  let at = 0;
  while (at < bytes.length) {
    const length = bytes.readInt32BE(at);
    at += 4;
    if (length < 0) { out.push(null); continue; }
    out.push(bytes.subarray(at, at + length));
    at += length;
  }
  return out;
}
function database(handle) {
  const db = databases.get(handle);
  if (db === undefined) throw new Error('database ' + handle + ' is not open in the LevelDB thread');
  return db;
}
function rangeOptions(packedRange, reverse) {
  const [gte, lt, lte] = unpack(packedRange);
  const options = { gte, reverse };
  if (lt !== null) options.lt = lt;
  if (lte !== null) options.lte = lte;
  return options;
}

/** Iterators an entriesOf request reads its ranges with, concurrently. */
const SEEKING_ITERATORS = 4;
/** Entries read at the first step of a range: a record key's ranges mostly hold one to a few. */
const FIRST_STEP = 4;

/** True when key lies past the range's upper bound. */
function pastEnd(key, range) {
  if (range.lt !== null) return Buffer.compare(key, range.lt) >= 0;
  if (range.lte !== null) return Buffer.compare(key, range.lte) > 0;
  return false;
}

/** Fills each range's entries (alternating keys and values) with one iterator, seeking to each range's start. */
async function readRanges(db, ranges) {
  const iterator = db.iterator();
  try {
    for (const range of ranges) {
      iterator.seek(range.gte);
      for (let step = FIRST_STEP, done = false; !done; step *= 2) {
        const read = await iterator.nextv(step);
        // nextv may stop early at a byte budget: only an empty step or a key past the end ends the range.
        if (read.length === 0) break;
        for (const [key, value] of read) {
          if (pastEnd(key, range)) {
            done = true;
            break;
          }
          range.entries.push(key, value);
        }
      }
    }
  } finally {
    await iterator.close();
  }
}

async function run(request) {
  switch (request.op) {
    case 'open': {
      const db = new ClassicLevel(request.location, { keyEncoding: 'buffer', valueEncoding: 'buffer', multithreading: request.shared === true });
      await db.open();
      const handle = nextHandle++;
      databases.set(handle, db);
      return handle;
    }
    case 'close': {
      const db = database(request.db);
      databases.delete(request.db);
      for (const [id, entry] of iterators) if (entry.db === request.db) iterators.delete(id);
      await db.close();
      return 0;
    }
    case 'get': {
      const [key] = unpack(request.keys);
      return pack([database(request.db).getSync(key) ?? null]);
    }
    case 'getMany': {
      const values = await database(request.db).getMany(unpack(request.keys));
      return pack(values.map((value) => value ?? null));
    }
    case 'batch': {
      // A chained batch: abstract-level's array form copies and re-checks every operation, about ten times slower.
      const items = unpack(request.items);
      const batch = database(request.db).batch();
      for (let i = 0; i < items.length; i += 2) {
        if (items[i + 1] === null) batch.del(items[i]);
        else batch.put(items[i], items[i + 1]);
      }
      await batch.write({ sync: request.durable });
      return 0;
    }
    case 'entriesOf': {
      // Ranges as [gte, lt, lte] triples; the reply holds, per range, its entry count (4 bytes) then its entries.
      // A few iterators each seek from range to range: one read per range on libuv's pool, where an
      // iterator per range cost three (open, a read, the read that finds the end) and a close.
      const db = database(request.db);
      const bounds = unpack(request.ranges);
      const ranges = [];
      for (let i = 0; i < bounds.length; i += 3) ranges.push({ gte: bounds[i], lt: bounds[i + 1], lte: bounds[i + 2], entries: [] });
      const perIterator = Math.ceil(ranges.length / SEEKING_ITERATORS);
      const walks = [];
      for (let i = 0; i < ranges.length; i += perIterator) walks.push(readRanges(db, ranges.slice(i, i + perIterator)));
      await Promise.all(walks);
      const out = [];
      for (const { entries } of ranges) {
        const count = Buffer.alloc(4);
        count.writeUInt32BE(entries.length / 2);
        out.push(count);
        for (const item of entries) out.push(item);
      }
      return pack(out);
    }
    case 'compact': {
      const [gte, lt, lte] = unpack(request.range);
      await database(request.db).compactRange(gte, lt !== null ? lt : lte);
      return 0;
    }
    case 'iterOpen': {
      const db = database(request.db);
      const options = rangeOptions(request.range, request.reverse);
      const iterator = request.keysOnly ? db.keys(options) : db.iterator(options);
      const id = nextHandle++;
      iterators.set(id, { db: request.db, iterator, keysOnly: request.keysOnly });
      return id;
    }
    case 'iterNext': {
      const entry = iterators.get(request.it);
      if (entry === undefined) return pack([]);
      // nextv stops early at a byte budget: read on until the step is full, so a short step means the end.
      const step = [];
      while (step.length < request.size) {
        const more = await entry.iterator.nextv(request.size - step.length);
        if (more.length === 0) {
          iterators.delete(request.it);
          await entry.iterator.close();
          break;
        }
        for (const item of more) step.push(item);
      }
      return pack(entry.keysOnly ? step : step.flat());
    }
    case 'iterClose': {
      const entry = iterators.get(request.it);
      iterators.delete(request.it);
      if (entry !== undefined) await entry.iterator.close();
      return 0;
    }
    default:
      throw new Error('unknown LevelDB thread request ' + request.op);
  }
}

parentPort.on('message', async (request) => {
  let reply;
  try {
    const result = await run(request);
    reply = { id: request.id, result };
  } catch (error) {
    const cause = error && error.cause;
    reply = { id: request.id, error: String(error && error.message), code: (cause && cause.code) || (error && error.code) };
  }
  const transfer = reply.result instanceof ArrayBuffer ? [reply.result] : [];
  if (request.sync) {
    syncPort.postMessage(reply, transfer);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  } else {
    parentPort.postMessage(reply, transfer);
  }
});
`;
