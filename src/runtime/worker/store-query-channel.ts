/**
 * The main thread's side of interactive queries on a stream thread that runs in a worker: one
 * synchronous call per read, as Kafka's read-only store API is synchronous. The request goes to
 * the worker on a port of its own (not the port of the cluster calls, so a query never waits
 * behind a page of records in that port's queue), and this thread blocks in `Atomics.wait` until
 * the worker wrote the request's id into the shared word, then takes the reply off the port with
 * `receiveMessageOnPort`. The worker answers from its event loop (`serveStoreQueries`) and never
 * waits on this thread synchronously, so the wait always ends: with the answer, or after
 * `QUERY_TIMEOUT_MS` when the worker is gone or stuck, as an `INVALID_STATE_STORE` to retry.
 *
 * @example
 * const channel = StoreQueryChannel.open();
 * new Worker(entry, { workerData: { queries: channel.workerEnd }, transferList: [channel.workerEnd.port] });
 * const tasks = channel.request({ op: 'tasks' });
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { StreamsError } from '../../common/index.ts';
import type { RemoteReadResult } from '../../query/index.ts';
import type { RemoteTasks, StoreQueryReply, StoreQueryRequest } from './store-query-messages.ts';
import { receivedError } from './port-rpc.ts';

/** How long a query waits for the worker: a page of records takes milliseconds; this is for a worker that is gone. */
const QUERY_TIMEOUT_MS = 10_000;

/** What the worker gets: its port and the shared word (see `serveStoreQueries`). */
export interface StoreQueryWorkerEnd {
  readonly port: MessagePort;
  readonly signal: SharedArrayBuffer;
}

type RequestBody = { readonly op: 'tasks' } | Omit<Extract<StoreQueryRequest, { op: 'read' }>, 'id'>;

export class StoreQueryChannel {
  private nextId = 1;
  private closed = false;

  private constructor(private readonly port: MessagePort, private readonly signal: Int32Array, readonly workerEnd: StoreQueryWorkerEnd) {}

  static open(): StoreQueryChannel {
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    return new StoreQueryChannel(port1, new Int32Array(shared), { port: port2, signal: shared });
  }

  request(body: { readonly op: 'tasks' }): RemoteTasks;
  request(body: Omit<Extract<StoreQueryRequest, { op: 'read' }>, 'id'>): RemoteReadResult;
  request(body: RequestBody): RemoteTasks | RemoteReadResult {
    if (this.closed) throw new StreamsError('INVALID_STATE_STORE', 'the stream thread holding this store has stopped; retry in a moment');
    const id = this.nextId++;
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage({ ...body, id } as StoreQueryRequest);
    const deadline = Date.now() + QUERY_TIMEOUT_MS;
    for (;;) {
      const received = receiveMessageOnPort(this.port)?.message as StoreQueryReply | undefined;
      if (received?.id === id) {
        if ('error' in received) throw receivedError(received.error);
        return received.result;
      }
      // Another message is the late reply of a request that timed out: read on.
      if (received !== undefined) continue;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new StreamsError('INVALID_STATE_STORE', `a stream thread's worker did not answer a store query within ${QUERY_TIMEOUT_MS} ms; retry in a moment`);
      }
      Atomics.wait(this.signal, 0, 0, left);
      // The worker writes an id only after posting its reply, so whatever woke us is on the port by now.
      Atomics.store(this.signal, 0, 0);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
  }
}
