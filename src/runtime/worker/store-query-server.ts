/**
 * The worker's side of interactive queries: answers the main thread's `StoreQueryChannel` with
 * the stores of the tasks its stream thread runs. Requests arrive as messages on the worker's
 * event loop, so they are answered between pages of records, never in the middle of one; the
 * main thread waits blocked meanwhile, and the worker never waits on the main thread
 * synchronously, so neither side can deadlock (a worker busy on a long page only delays the
 * answer).
 *
 * @example
 * serveStoreQueries(port, signal, () => thread, applicationId);
 */
import type { MessagePort } from 'node:worker_threads';
import { StreamsError } from '../../common/index.ts';
import type { RemoteReadResult, RemoteStoreKind } from '../../query/index.ts';
import { revivedBytes } from '../../query/index.ts';
import type { Serde } from '../../serde/index.ts';
import type { KeyValue, StateStore } from '../../state/index.ts';
import { isSessionStore, isTimestampedKeyValueStore, isTimestampedWindowStore, isWindowStore } from '../../state/index.ts';
import type { QueryableTask } from '../local-store-lookup.ts';
import type { StreamThread } from '../stream-thread.ts';
import { changelogTopicFor } from '../task/task-store-context.ts';
import { sendableError } from './port-rpc.ts';
import type { RemoteStoreDescription, RemoteTaskDescription, RemoteTasks, StoreQueryReply, StoreQueryRequest } from './store-query-messages.ts';

/** The read methods a query may call, per kind: nothing that writes. */
const READS: Readonly<Record<RemoteStoreKind, ReadonlySet<string>>> = {
  'key-value': new Set(['get', 'range', 'reverseRange', 'all', 'reverseAll', 'prefixScan', 'approximateNumEntries']),
  'timestamped-key-value': new Set(['get', 'range', 'reverseRange', 'all', 'reverseAll', 'prefixScan', 'approximateNumEntries']),
  window: new Set(['fetch', 'backwardFetch', 'fetchAll', 'backwardFetchAll', 'all', 'backwardAll']),
  'timestamped-window': new Set(['fetch', 'backwardFetch', 'fetchAll', 'backwardFetchAll', 'all', 'backwardAll']),
  session: new Set(['fetchSession', 'findSessions', 'backwardFindSessions', 'fetch', 'backwardFetch']),
};

/** The prefix of a `prefixScan` arrives serialized: this serde hands its bytes to the store as they are. */
const SERIALIZED_PREFIX: Serde<Buffer> = { serialize: (_topic, data) => data, deserialize: (_topic, data) => data };

/** Answers query requests on `port`, writing each answered request's id into `signal[0]`. */
export function serveStoreQueries(port: MessagePort, signal: Int32Array, thread: () => StreamThread | undefined, applicationId: string): void {
  port.on('message', (request: StoreQueryRequest) => {
    let reply: StoreQueryReply;
    try {
      reply = { id: request.id, result: request.op === 'tasks' ? describeTasks(thread(), applicationId) : read(thread(), request) };
    } catch (error) {
      reply = { id: request.id, error: sendableError(error) };
    }
    try {
      port.postMessage(reply);
    } catch (error) {
      // A value the structured clone cannot copy (a function, a class with private state).
      port.postMessage({ id: request.id, error: sendableError(new StreamsError('INVALID_STATE_STORE', `store query answer cannot cross to the main thread: ${(error as Error).message}`)) } satisfies StoreQueryReply);
    }
    Atomics.store(signal, 0, request.id);
    Atomics.notify(signal, 0);
  });
  // Queries never keep the worker alive: it ends when the main thread terminates it.
  port.unref();
}

function kindOf(store: StateStore): RemoteStoreKind | undefined {
  if (isSessionStore(store)) return 'session';
  if (isTimestampedWindowStore(store)) return 'timestamped-window';
  if (isWindowStore(store)) return 'window';
  if (isTimestampedKeyValueStore(store)) return 'timestamped-key-value';
  const candidate = store as unknown as { [method: string]: unknown };
  return ['get', 'range', 'all', 'approximateNumEntries'].every((method) => typeof candidate[method] === 'function') ? 'key-value' : undefined;
}

function describeTasks(thread: StreamThread | undefined, applicationId: string): RemoteTasks {
  if (thread === undefined) return { settled: false, active: [], standbys: [] };
  const local = thread.localStores();
  const describe = (task: QueryableTask): RemoteTaskDescription => {
    const stores: RemoteStoreDescription[] = [];
    for (const name of local.storeNames) {
      const store = task.getStore(name);
      const kind = store === undefined || !store.isOpen() ? undefined : kindOf(store);
      if (kind !== undefined) stores.push({ name, kind, serdeTopic: changelogTopicFor(applicationId, name) });
    }
    return { taskId: task.taskId, partition: task.partition, state: task.state, stores };
  };
  return { settled: local.settled, active: local.activeTasks.map(describe), standbys: local.standbyTasks.map(describe) };
}

function read(thread: StreamThread | undefined, request: Extract<StoreQueryRequest, { op: 'read' }>): RemoteReadResult {
  const local = thread?.localStores();
  const task = (request.standby ? local?.standbyTasks : local?.activeTasks)?.find((t) => t.taskId === request.taskId);
  const store = task?.getStore(request.store);
  if (store === undefined || !store.isOpen()) {
    throw new StreamsError('INVALID_STATE_STORE', `cannot read state store "${request.store}" of task ${request.taskId}: the task moved or is closing; retry in a moment`);
  }
  const kind = kindOf(store);
  if (kind === undefined || !READS[kind].has(request.method)) {
    throw new StreamsError('INVALID_STATE_STORE', `state store "${request.store}" has no read "${request.method}" that queries may call`);
  }
  const args = request.args.map(revivedBytes);
  if (request.method === 'prefixScan') args[1] = SERIALIZED_PREFIX;
  const result = (store as unknown as Record<string, (...a: unknown[]) => unknown>)[request.method]!(...args);
  if (!isIterator(result)) return { value: result ?? null };
  try {
    const entries: Array<KeyValue<unknown, unknown>> = [];
    for (let next = result.next(); next.done !== true; next = result.next()) entries.push(next.value);
    return { entries };
  } finally {
    result.close();
  }
}

function isIterator(value: unknown): value is { next(): IteratorResult<KeyValue<unknown, unknown>>; close(): void } {
  return typeof value === 'object' && value !== null && typeof (value as { next?: unknown }).next === 'function' && typeof (value as { close?: unknown }).close === 'function';
}
