import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { BatchWrite, KeyRange, LevelDbAccess } from './leveldb-access.ts';
import { LEVELDB_THREAD_SOURCE } from './leveldb-thread-source.ts';
import { packList, unpackList } from './packed-buffers.ts';

/** How long a synchronous request waits for the LevelDB thread before giving up. */
const SYNC_TIMEOUT_MS = 120_000;

interface Reply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
  readonly code?: string;
}

/** A request's own fields; `id` and `sync` are added on sending. */
type Request = { readonly op: string } & { readonly [field: string]: unknown };

/** A failure reported by the LevelDB thread, with LevelDB's code (`LEVEL_LOCKED`, …) when it gave one. */
export class LevelDbThreadError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
  }
}

/**
 * A worker thread that owns LevelDB databases, so this thread can read them **synchronously in
 * steps of bounded size**: a synchronous request is posted to the thread and this thread blocks in
 * `Atomics.wait` on a shared word until the reply is on a port it then reads with
 * `receiveMessageOnPort`. classic-level only iterates asynchronously, hence a thread that does
 * every read and write of the databases moved to it (the store's first handle, on the stream
 * thread, stays open only as the owner of the shared database's memory; see `ThreadLevelDb.open`). One thread serves every database opened through it; it starts with the first and
 * stops when the last closes. A round trip costs tens of microseconds, so it serves what a batch
 * prefetch could not (scans of unknown ranges, reads outside the prefetched keys).
 */
class LevelDbThread {
  private static current: LevelDbThread | undefined;
  private readonly worker: Worker;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly syncPort: MessagePort;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private databases = 0;
  private failure: Error | undefined;

  private constructor() {
    const { port1, port2 } = new MessageChannel();
    this.syncPort = port1;
    this.worker = new Worker(LEVELDB_THREAD_SOURCE, {
      eval: true,
      workerData: { classicLevel: createRequire(import.meta.url).resolve('classic-level'), signal: this.signal.buffer, syncPort: port2 },
      transferList: [port2],
    });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the LevelDB thread exited with code ${code}`)));
  }

  /** The running thread, started when none runs; counts one more database on it. */
  static acquire(): LevelDbThread {
    LevelDbThread.current ??= new LevelDbThread();
    LevelDbThread.current.databases++;
    return LevelDbThread.current;
  }

  /** One database fewer on the thread; the last one stops it. */
  release(): void {
    if (--this.databases > 0) return;
    if (LevelDbThread.current === this) LevelDbThread.current = undefined;
    this.failure ??= new Error('the LevelDB thread was stopped');
    void this.worker.terminate();
  }

  request(request: Request, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id, sync: false }, transfer);
    });
  }

  requestSync(request: Request, transfer: ArrayBuffer[] = []): unknown {
    if (this.failure !== undefined) throw this.failure;
    const id = this.nextId++;
    Atomics.store(this.signal, 0, 0);
    this.worker.postMessage({ ...request, id, sync: true }, transfer);
    const deadline = Date.now() + SYNC_TIMEOUT_MS;
    for (;;) {
      Atomics.wait(this.signal, 0, 0, 1_000);
      const received = receiveMessageOnPort(this.syncPort);
      if (received !== undefined) {
        const reply = received.message as Reply;
        if (reply.error !== undefined) throw new LevelDbThreadError(reply.error, reply.code);
        return reply.result;
      }
      if (Date.now() > deadline) throw new Error(`the LevelDB thread did not answer a ${request.op} within ${SYNC_TIMEOUT_MS} ms`);
    }
  }

  private settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (waiting === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.error !== undefined) waiting.reject(new LevelDbThreadError(reply.error, reply.code));
    else waiting.resolve(reply.result);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    if (LevelDbThread.current === this) LevelDbThread.current = undefined;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/** A synchronous walk over a key range, read from disk `step` entries at a time. */
export interface SyncCursor {
  /** The next step: keys, or alternating keys and values; empty once the range is exhausted. */
  next(): Array<Buffer | null>;
  /** Releases the walk early (a walk that reached its end is released already). */
  close(): void;
}

/**
 * A database open on the LevelDB thread: the same reads and writes as a database open here, plus
 * synchronous bounded-memory scans (`cursor`).
 */
export class ThreadLevelDb implements LevelDbAccess {
  private constructor(private readonly thread: LevelDbThread, private readonly handle: number) {}

  /**
   * Opens the database at `location` on the LevelDB thread (starting it when none runs). With
   * `shared`, the database may be open already in this process with classic-level's
   * `multithreading` option, and both handles then reach one LevelDB database (what lets a store
   * move to this thread without a moment in which it has no open handle); without it, a second
   * handle on the directory is refused (`LEVEL_LOCKED`).
   */
  static async open(location: string, shared = false): Promise<ThreadLevelDb> {
    const thread = LevelDbThread.acquire();
    try {
      return new ThreadLevelDb(thread, (await thread.request({ op: 'open', location, shared })) as number);
    } catch (error) {
      thread.release();
      throw error;
    }
  }

  getSync(key: Buffer): Buffer | undefined {
    const [value] = unpackList(this.thread.requestSync({ op: 'get', db: this.handle, keys: packList([key]) }) as ArrayBuffer);
    return value ?? undefined;
  }

  async get(key: Buffer): Promise<Buffer | undefined> {
    return (await this.getMany([key]))[0];
  }

  async getMany(keys: readonly Buffer[]): Promise<Array<Buffer | undefined>> {
    const packed = packList(keys);
    const values = unpackList(await this.thread.request({ op: 'getMany', db: this.handle, keys: packed }, [packed]) as ArrayBuffer);
    return values.map((value) => value ?? undefined);
  }

  async batch(writes: readonly BatchWrite[], durable: boolean): Promise<void> {
    const items: Array<Buffer | null> = [];
    for (const { key, value } of writes) items.push(key, value);
    const packed = packList(items);
    await this.thread.request({ op: 'batch', db: this.handle, items: packed, durable }, [packed]);
  }

  async entriesOf(ranges: readonly KeyRange[]): Promise<Array<Array<[Buffer, Buffer]>>> {
    const bounds: Array<Buffer | null> = [];
    for (const range of ranges) bounds.push(range.gte, range.lt ?? null, range.lte ?? null);
    const packed = packList(bounds);
    const items = unpackList(await this.thread.request({ op: 'entriesOf', db: this.handle, ranges: packed }, [packed]) as ArrayBuffer);
    const out: Array<Array<[Buffer, Buffer]>> = [];
    for (let i = 0; i < items.length;) {
      const entries: Array<[Buffer, Buffer]> = [];
      const count = items[i++]!.readUInt32BE(0);
      for (let n = 0; n < count; n++, i += 2) entries.push([items[i]!, items[i + 1]!]);
      out.push(entries);
    }
    return out;
  }

  async keySteps(range: KeyRange, step: number, visit: (keys: Buffer[]) => Promise<void> | void): Promise<void> {
    const it = (await this.thread.request({ op: 'iterOpen', db: this.handle, range: packRange(range), reverse: range.reverse === true, keysOnly: true })) as number;
    try {
      for (;;) {
        const keys = unpackList(await this.thread.request({ op: 'iterNext', it, size: step }) as ArrayBuffer) as Buffer[];
        if (keys.length > 0) await visit(keys);
        if (keys.length < step) return;
      }
    } finally {
      await this.thread.request({ op: 'iterClose', it });
    }
  }

  async compact(range: KeyRange): Promise<void> {
    await this.thread.request({ op: 'compact', db: this.handle, range: packRange(range) });
  }

  /**
   * A synchronous walk over a range (`keysOnly`: keys only), over a snapshot of the database
   * taken when it starts; holds at most one step of entries in this thread.
   */
  cursor(range: KeyRange, keysOnly: boolean, step: number): SyncCursor {
    const thread = this.thread;
    const it = thread.requestSync({ op: 'iterOpen', db: this.handle, range: packRange(range), reverse: range.reverse === true, keysOnly }) as number;
    let open = true;
    const perEntry = keysOnly ? 1 : 2;
    return {
      next(): Array<Buffer | null> {
        if (!open) return [];
        const items = unpackList(thread.requestSync({ op: 'iterNext', it, size: step }) as ArrayBuffer);
        if (items.length < step * perEntry) open = false; // the thread closed it
        return items;
      },
      close(): void {
        if (!open) return;
        open = false;
        thread.request({ op: 'iterClose', it }).catch(() => {}); // the database may be closing; its iterators close with it
      },
    };
  }

  async close(): Promise<void> {
    try {
      await this.thread.request({ op: 'close', db: this.handle });
    } finally {
      this.thread.release();
    }
  }
}

function packRange(range: KeyRange): ArrayBuffer {
  return packList([range.gte, range.lt ?? null, range.lte ?? null]);
}
