import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from './logger';

// The one way a Simpul process answers plain HTTP beside GraphQL: the request's URL parsed once, a
// path matched with `:name` parameters, methods checked (405 with Allow), bodies read with a limit
// and a content type, and every refusal the same coded JSON `{ "error": { "code", "message", … } }`.
// Written here rather than taken from a router (find-my-way and the like): each server has one to
// five routes tried in order before GraphQL (`HttpRoute[]`), so matching is a regular expression; what
// matters — the limits, the codes, the masking of unknown errors — is not what a router provides.

/** The request's path and query (the host part is a placeholder: no route trusts the Host header). */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://localhost');
}

/** The caller's `x-correlation-id` when well-formed, else a new one: what logs and masked errors carry. */
export function correlationIdOf(req: IncomingMessage): string {
  const header = req.headers['x-correlation-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:-]{1,128}$/.test(value) ? value : randomUUID();
}

/** A refusal with its status and code, answered as `{ error: { code, message, …details } }`. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpRefusal';
  }
}

/** A body past its limit (413). Thrown by readBody; a route may answer it in its own format. */
export class BodyTooLargeError extends HttpRefusal {
  constructor(readonly limit: number) {
    // connection: close, so a client still uploading is not left holding a kept-alive connection.
    super(413, 'PAYLOAD_TOO_LARGE', `the body exceeds ${limit} bytes`, {}, { connection: 'close' });
    this.name = 'BodyTooLargeError';
  }
}

/** Answers `body` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Answers a refusal: `{ error: { code, message, …details } }`. */
export function sendRefusal(res: ServerResponse, refusal: HttpRefusal): void {
  sendJson(res, refusal.status, { error: { ...refusal.details, code: refusal.code, message: refusal.message } }, refusal.headers);
}

export interface ReadBodyOptions {
  /** Bytes; past it BodyTooLargeError (before reading when Content-Length already says so). */
  limit: number;
  /** Media types accepted (`application/json`), compared without parameters; else 415 UNSUPPORTED_MEDIA_TYPE. */
  contentTypes?: readonly string[];
}

/**
 * The raw body as text (a signature is over these exact bytes). Past the limit the rest is still
 * read and dropped, so the 413 can be written on the connection rather than the upload cut.
 */
export function readBody(req: IncomingMessage, { limit, contentTypes }: ReadBodyOptions): Promise<string> {
  if (contentTypes) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!contentTypes.includes(type)) {
      req.resume();
      return Promise.reject(new HttpRefusal(415, 'UNSUPPORTED_MEDIA_TYPE', `send the body as ${contentTypes.join(' or ')}`));
    }
  }
  if (Number(req.headers['content-length']) > limit) {
    req.resume();
    return Promise.reject(new BodyTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      if (!tooLarge) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.once('error', reject);
  });
}

/** The body parsed as JSON; 400 BAD_REQUEST (`issues`) when it is not. */
export async function readJsonBody(req: IncomingMessage, options: ReadBodyOptions): Promise<unknown> {
  const text = await readBody(req, options);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpRefusal(400, 'BAD_REQUEST', 'the body is not JSON', { issues: [{ path: '', message: 'not valid JSON' }] });
  }
}

/** Matches `/participants/:code/task-status`: each `:name` one non-empty segment, percent-decoded. */
export function pathMatcher(pattern: string): (pathname: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  const expression = new RegExp(`^${source}$`);
  return (pathname) => {
    const match = expression.exec(pathname);
    if (!match) return undefined;
    const params: Record<string, string> = {};
    for (const [index, name] of names.entries()) {
      const raw = match[index + 1]!;
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        throw new HttpRefusal(400, 'BAD_REQUEST', `the path segment ${JSON.stringify(raw)} is not valid percent-encoding`);
      }
    }
    return params;
  };
}

/** What a route's handler gets: the request, its parsed URL and the path's parameters. */
export interface RouteRequest {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
}

/** A route tried in order before GraphQL: true when it answered. */
export interface HttpRoute {
  (req: IncomingMessage, res: ServerResponse): Promise<boolean> | boolean;
}

export interface RouteOptions {
  /** `/records`, `/participants/:code/task-status`. */
  path: string;
  /** Methods served; any other is answered 405 with `Allow` before the handler runs. */
  methods: readonly string[];
  handle(request: RouteRequest, res: ServerResponse): Promise<void> | void;
  /** Where unknown errors are logged (with the request's correlation id) before a masked 500. */
  logger?: Logger;
}

/**
 * An HttpRoute for one path: refusals thrown as HttpRefusal are answered coded; any other error is
 * logged with the correlation id and answered 500 INTERNAL_SERVER_ERROR carrying that id, nothing more.
 */
export function route(options: RouteOptions): HttpRoute {
  const match = pathMatcher(options.path);
  const allow = options.methods.join(', ');
  return async (req, res) => {
    const url = requestUrl(req);
    try {
      const params = match(url.pathname);
      if (!params) return false;
      if (!options.methods.includes(req.method ?? 'GET')) {
        req.resume();
        throw new HttpRefusal(405, 'METHOD_NOT_ALLOWED', `use ${options.methods.join(' or ')}`, {}, { allow });
      }
      await options.handle({ req, url, params }, res);
    } catch (error) {
      if (res.headersSent) res.end();
      else if (error instanceof HttpRefusal) sendRefusal(res, error);
      else {
        const correlationId = correlationIdOf(req);
        options.logger?.error({ err: error, correlationId, path: url.pathname }, 'request failed');
        sendRefusal(res, new HttpRefusal(500, 'INTERNAL_SERVER_ERROR', 'Internal server error; retry later', { correlationId }));
      }
    }
    return true;
  };
}
