import type { Socket } from 'node:net';
import { getLogger } from '../common/index.ts';
import { FrameReader } from '../protocol/index.ts';

const log = getLogger('broker');

/** What one connection may hold and how long it may sit still (see `KafkaBrokerOptions`). */
export interface ConnectionLimits {
  readonly maxRequestBytes: number;
  readonly maxQueuedRequestBytes: number;
  readonly maxUnsentResponseBytes: number;
  readonly idleMs: number;
  readonly receiveTimeoutMs: number;
}

/**
 * Answers one request frame: the response frame, null for none (acks 0), 'close' to drop the
 * connection, or `{ final }`: send this response, then end the connection (a failed login).
 */
export type FrameHandler = (frame: Buffer) => Promise<Buffer | null | 'close' | { readonly final: Buffer }>;

/**
 * One client connection: frames are read (FrameReader), queued and answered one at a time, in
 * order. Its memory is bounded: reading stops while the queued requests exceed
 * `maxQueuedRequestBytes`, and the next request waits while more than `maxUnsentResponseBytes` of
 * responses sit unsent — a client that sends but never reads is paused, not buffered without end.
 * It is closed when idle for `idleMs` with no request being answered, or when a started frame is
 * not complete within `receiveTimeoutMs`.
 */
export class BrokerConnection {
  private readonly reader: FrameReader;
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private handling = false;
  private draining = false;
  private pausedByLimit = false;
  private readonly idleTimer: NodeJS.Timeout;
  private receiveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly peer: string,
    private readonly limits: ConnectionLimits,
    private readonly handle: FrameHandler,
  ) {
    this.reader = new FrameReader(limits.maxRequestBytes);
    this.idleTimer = setTimeout(() => this.onIdle(), limits.idleMs).unref();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.stopTimers());
  }

  private onData(chunk: Buffer): void {
    this.idleTimer.refresh();
    let frames: Buffer[];
    try {
      frames = this.reader.push(chunk);
    } catch (error) {
      this.close(`${(error as Error).message}`);
      return;
    }
    for (const frame of frames) {
      this.queue.push(frame);
      this.queuedBytes += frame.length;
    }
    this.watchPartialFrame();
    this.applyBackpressure();
    void this.serveQueue();
  }

  /** Serves queued frames one by one; one loop runs at a time. */
  private async serveQueue(): Promise<void> {
    if (this.handling) return;
    this.handling = true;
    try {
      while (this.queue.length > 0 && !this.socket.destroyed) {
        await this.unsentBelowLimit();
        if (this.socket.destroyed) return;
        const frame = this.queue.shift()!;
        this.queuedBytes -= frame.length;
        const response = await this.handle(frame);
        this.idleTimer.refresh();
        if (response === 'close') {
          this.socket.destroy();
          return;
        }
        if (response !== null && !Buffer.isBuffer(response)) {
          this.socket.end(response.final);
          return;
        }
        if (response !== null && !this.socket.destroyed) this.socket.write(response, () => this.idleTimer.refresh());
        this.applyBackpressure();
      }
    } finally {
      this.handling = false;
    }
  }

  /** Resolves once the unsent responses are within the limit (or the socket is gone). */
  private unsentBelowLimit(): Promise<void> {
    if (this.socket.writableLength <= this.limits.maxUnsentResponseBytes) return Promise.resolve();
    this.draining = true;
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        this.draining = false;
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Stops reading while too many request bytes are queued; reads again once they are served. */
  private applyBackpressure(): void {
    const full = this.queuedBytes >= this.limits.maxQueuedRequestBytes;
    if (full && !this.pausedByLimit) {
      this.pausedByLimit = true;
      this.socket.pause();
      this.clearReceiveTimer();
    } else if (!full && this.pausedByLimit) {
      this.pausedByLimit = false;
      this.socket.resume();
      this.watchPartialFrame();
    }
  }

  /** A frame started must be complete within the receive timeout; the clock runs only while reading. */
  private watchPartialFrame(): void {
    if (this.reader.partialBytes === 0) this.clearReceiveTimer();
    else if (this.receiveTimer === undefined && !this.pausedByLimit) {
      this.receiveTimer = setTimeout(() => this.close(`a request was not complete ${this.limits.receiveTimeoutMs} ms after it started (${this.reader.partialBytes} bytes received)`), this.limits.receiveTimeoutMs).unref();
    }
  }

  private onIdle(): void {
    if (this.handling && !this.draining) {
      this.idleTimer.refresh(); // a request is being answered (a long poll, a rebalance): not idle
      return;
    }
    this.close(`idle for ${this.limits.idleMs} ms (connections.max.idle.ms)`);
  }

  private close(why: string): void {
    if (this.socket.destroyed) return;
    log.warn(`closing connection from ${this.peer}: ${why}`);
    this.socket.destroy();
    this.stopTimers();
  }

  private clearReceiveTimer(): void {
    if (this.receiveTimer !== undefined) clearTimeout(this.receiveTimer);
    this.receiveTimer = undefined;
  }

  private stopTimers(): void {
    clearTimeout(this.idleTimer);
    this.clearReceiveTimer();
  }
}
