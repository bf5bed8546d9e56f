import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { decodeResponse, encodeRequest } from '../../../src/protocol/index.ts';
import type { ApiSchema, Message } from '../../../src/protocol/index.ts';

/** A bare Kafka protocol connection for tests: send one request, read its response. */
export class RawClient {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: Array<(frame: Buffer) => void> = [];
  private correlationId = 0;
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      while (this.buffer.length >= 4 && this.buffer.length >= 4 + this.buffer.readInt32BE(0)) {
        const size = this.buffer.readInt32BE(0);
        const frame = this.buffer.subarray(4, 4 + size);
        this.buffer = this.buffer.subarray(4 + size);
        this.waiting.shift()?.(frame);
      }
    });
    socket.on('close', () => void (this.closed = true));
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a request; reads the response as `responseVersion` (default: the request's version). */
  async request(api: ApiSchema, version: number, body: Message, responseVersion = version): Promise<Message> {
    const correlationId = ++this.correlationId;
    const frame = new Promise<Buffer>((resolve) => this.waiting.push(resolve));
    this.socket.write(encodeRequest(api, { apiKey: api.apiKey, apiVersion: version, correlationId, clientId: 'raw' }, body));
    const response = decodeResponse(api, responseVersion, await frame);
    if (response.correlationId !== correlationId) throw new Error(`correlation id ${response.correlationId}, expected ${correlationId}`);
    return response.body;
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves true once the broker has closed the connection (false after `timeoutMs`). */
  async closedByPeer(timeoutMs = 2_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
