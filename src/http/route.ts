import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route learns about the request it matched. */
export interface RouteMatch {
  /** The request URL, parsed (query parameters in `url.searchParams`). */
  readonly url: URL;
  /** Capture groups of a RegExp path (empty for a string path), URI-decoded. */
  readonly params: readonly string[];
}

/**
 * One route of the HTTP endpoint. `path` is an exact pathname (`'/metrics'`) or a RegExp tested
 * against the pathname (`/^\/stores\/([^/]+)$/`); the first route in the table that matches the
 * pathname and the method answers. A handler writes the whole response; when it throws or
 * rejects, the endpoint answers 500 with the error's code and message as JSON.
 *
 * @example
 * const hello: HttpRoute = { path: '/hello', handle: (_request, response) => sendText(response, 200, 'hi\n') };
 */
export interface HttpRoute {
  readonly path: RegExp | string;
  /** The HTTP method it answers (default GET; a GET route answers HEAD too). */
  readonly method?: string;
  handle(request: IncomingMessage, response: ServerResponse, match: RouteMatch): Promise<void> | void;
}

/** Answers with a JSON body. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Answers with a text body (`contentType` defaults to plain text). */
export function sendText(response: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** The capture groups of `path` in `pathname`, or undefined when the route does not match. */
export function matchPath(path: RegExp | string, pathname: string): string[] | undefined {
  if (typeof path === 'string') return path === pathname ? [] : undefined;
  const found = path.exec(pathname);
  if (found === null) return undefined;
  return found.slice(1).map((group) => (group === undefined ? '' : decodeURIComponent(group)));
}
