/**
 * The messages of the interactive-query channel between the main thread and a stream thread's
 * worker (see `StoreQueryChannel` and `serveStoreQueries`): the main thread posts a request on its
 * port, then blocks in `Atomics.wait` on the shared word until the worker has posted the reply
 * and written the request's id there.
 */
import type { RemoteReadResult, RemoteStoreKind } from '../../query/index.ts';
import type { SentError } from './port-rpc.ts';

/** A store of a task in the worker, as queries see it. */
export interface RemoteStoreDescription {
  readonly name: string;
  readonly kind: RemoteStoreKind;
  /** The changelog topic name, which the store's serdes are called with. */
  readonly serdeTopic: string;
}

/** A task in the worker, as queries see it. */
export interface RemoteTaskDescription {
  readonly taskId: string;
  readonly partition: number;
  readonly state: string;
  readonly stores: readonly RemoteStoreDescription[];
}

/** What the worker's thread holds now. */
export interface RemoteTasks {
  /** False while the worker's thread is taking an assignment. */
  readonly settled: boolean;
  readonly active: readonly RemoteTaskDescription[];
  readonly standbys: readonly RemoteTaskDescription[];
}

export type StoreQueryRequest =
  | { readonly id: number; readonly op: 'tasks' }
  | { readonly id: number; readonly op: 'read'; readonly taskId: string; readonly standby: boolean; readonly store: string; readonly method: string; readonly args: readonly unknown[] };

export type StoreQueryReply =
  | { readonly id: number; readonly result: RemoteTasks | RemoteReadResult }
  | { readonly id: number; readonly error: SentError };
