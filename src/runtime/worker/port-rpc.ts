/**
 * Calls between the main thread and a stream thread's worker over one MessagePort (a Worker or
 * the worker's `parentPort`): each side calls the other's methods by name and awaits the answer;
 * one message per call (a fetched page, a batch to append, an assignment), never one per record.
 * Errors cross as their name, message, code and location: a StreamsError stays a StreamsError.
 *
 * @example
 * const rpc = new PortRpc(worker);
 * rpc.serve({ fetch: (topic, partition, offset, maxBytes) => cluster.fetch(topic, partition, offset, maxBytes) });
 * const page = await rpc.call('fetch', ['in', 0, 0, 1 << 20]);
 */
import { StreamsError, type ErrorLocation, type StreamsErrorCode } from '../../common/index.ts';

/** What a port needs: a Worker, a MessagePort, or a worker's `parentPort`. */
export interface RpcPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

type Handler = (...args: never[]) => unknown;

interface CallMessage { readonly rpc: 'call'; readonly id: number; readonly method: string; readonly args: readonly unknown[] }
interface ReplyMessage { readonly rpc: 'reply'; readonly id: number; readonly result?: unknown; readonly error?: SentError }
interface EventMessage { readonly rpc: 'event'; readonly name: string; readonly payload: unknown }

/** An error as it crosses threads. */
export interface SentError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly code?: StreamsErrorCode | undefined;
  readonly location?: ErrorLocation | undefined;
}

/** An error in a form that survives `postMessage` (class, code and location are kept by hand). */
export function sendableError(error: unknown): SentError {
  if (error instanceof StreamsError) return { name: error.name, message: error.message, stack: error.stack, code: error.code, location: error.location };
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

/** The error a `SentError` describes, rebuilt on this side: a StreamsError with its code, or an Error. */
export function receivedError(sent: SentError): Error {
  const error = sent.code === undefined
    ? new Error(sent.message)
    : new StreamsError(sent.code, sent.message, sent.location === undefined ? {} : { location: sent.location });
  error.name = sent.name;
  if (sent.stack !== undefined) error.stack = sent.stack;
  return error;
}

export class PortRpc {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private handlers: Readonly<Record<string, Handler>> = {};
  private readonly listeners = new Map<string, (payload: never) => void>();

  constructor(private readonly port: RpcPort) {
    port.on('message', (message) => this.receive(message as CallMessage | ReplyMessage | EventMessage));
  }

  /** Answers the other side's calls with these methods (their results are cloned, Buffers as Uint8Arrays). */
  serve(handlers: Readonly<Record<string, Handler>>): void {
    this.handlers = handlers;
  }

  /** Calls `method` on the other side. */
  call<T>(method: string, args: readonly unknown[] = []): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.port.postMessage({ rpc: 'call', id, method, args } satisfies CallMessage);
    });
  }

  /** Tells the other side something that needs no answer. */
  emit(name: string, payload: unknown): void {
    this.port.postMessage({ rpc: 'event', name, payload } satisfies EventMessage);
  }

  /** Runs `listener` on every event `name` from the other side. */
  on<T>(name: string, listener: (payload: T) => void): void {
    this.listeners.set(name, listener as (payload: never) => void);
  }

  /** The other side is gone: every call still waiting fails with `error`. */
  failPending(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  private receive(message: CallMessage | ReplyMessage | EventMessage): void {
    if (message.rpc === 'reply') {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(receivedError(message.error));
      else waiting?.resolve(message.result);
    } else if (message.rpc === 'event') {
      this.listeners.get(message.name)?.(message.payload as never);
    } else {
      void this.answer(message);
    }
  }

  private async answer({ id, method, args }: CallMessage): Promise<void> {
    try {
      const handler = this.handlers[method];
      if (handler === undefined) throw new StreamsError('ILLEGAL_STATE', `no method "${method}" on the other side of a stream thread's port`);
      const result = await (handler as (...a: unknown[]) => unknown)(...args);
      this.port.postMessage({ rpc: 'reply', id, result } satisfies ReplyMessage);
    } catch (error) {
      this.port.postMessage({ rpc: 'reply', id, error: sendableError(error) } satisfies ReplyMessage);
    }
  }
}
