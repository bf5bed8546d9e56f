import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getLogger, isStreamsError } from '../common/index.ts';
import { matchPath, sendJson, type HttpRoute } from './route.ts';

const log = getLogger('http');

/** Where and what an {@link HttpEndpoint} serves. */
export interface HttpEndpointOptions {
  /** Port to listen on; 0 picks a free one (read it from `start()`'s result). */
  readonly port: number;
  /** Interface to listen on (default 127.0.0.1: only this machine; use 0.0.0.0 in a container). */
  readonly host?: string | undefined;
  /** The route table, tried in order. */
  readonly routes: readonly HttpRoute[];
}

/**
 * A small HTTP server over a route table (node:http, no framework): the first route whose path and
 * method match answers; an unknown path gets 404, a known path with another method 405, a handler
 * that throws 500 — all with a JSON body `{ error, message }`.
 *
 * @example
 * const endpoint = new HttpEndpoint({ port: 0, routes: [{ path: '/ping', handle: (_q, res) => sendText(res, 200, 'pong\n') }] });
 * const { port } = await endpoint.start();
 * await endpoint.close();
 */
export class HttpEndpoint {
  private readonly server: Server;

  constructor(private readonly options: HttpEndpointOptions) {
    this.server = createServer((request, response) => void this.answer(request, response));
  }

  /** Starts listening; resolves with the bound host and port. */
  async start(): Promise<{ host: string; port: number }> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    return { host, port: address.port };
  }

  /** Stops listening and ends open keep-alive connections. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    let pathMatched = false;
    try {
      for (const route of this.options.routes) {
        const params = matchPath(route.path, url.pathname);
        if (params === undefined) continue;
        pathMatched = true;
        const routeMethod = route.method ?? 'GET';
        if (routeMethod !== method && !(routeMethod === 'GET' && method === 'HEAD')) continue;
        await route.handle(request, response, { url, params });
        return;
      }
      if (pathMatched) sendJson(response, 405, { error: 'METHOD_NOT_ALLOWED', message: `${method} is not served at ${url.pathname}` });
      else sendJson(response, 404, { error: 'NOT_FOUND', message: `nothing is served at ${url.pathname}` });
    } catch (error) {
      const code = isStreamsError(error) ? error.code : 'INTERNAL_ERROR';
      const message = error instanceof Error ? error.message : String(error);
      log.error(`${method} ${url.pathname} failed: ${message}`);
      if (!response.headersSent) sendJson(response, 500, { error: code, message });
      else response.destroy();
    }
  }
}
