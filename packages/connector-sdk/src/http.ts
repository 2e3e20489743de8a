import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendMetrics } from '@simpul/service-kit';

/** Every error answer: `{ "error": { "code", "message", … } }` (docs/participants.md). */
export function sendError(res: ServerResponse, status: number, code: string, message: string, details: Record<string, unknown> = {}): void {
  sendJson(res, status, { error: { ...details, code, message } });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** The raw body (the signature is over these exact bytes), refused beyond `limit` bytes. */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface HttpListener {
  server: Server;
  host: string;
  port: number;
  /** http://host:port, with a wildcard host replaced by loopback. */
  origin: string;
  /** Stops accepting, lets requests in flight finish (at most `graceMs`), then closes every connection. */
  close(graceMs?: number): Promise<void>;
}

export async function listenHttp(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  host: string,
  port: number,
  onError?: (error: unknown) => void,
): Promise<HttpListener> {
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      onError?.(error);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'internal error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const connectHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return {
    server,
    host,
    port: address.port,
    origin: `http://${connectHost}:${address.port}`,
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** `GET /healthz` (the process is up) and `GET /readyz` (it serves tasks); true when handled. */
export function serveHealth(req: IncomingMessage, res: ServerResponse, ready: () => boolean): boolean {
  const path = new URL(req.url ?? '/', 'http://connector').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/healthz') {
    sendJson(res, 200, { status: 'ok' });
    return true;
  }
  if (path === '/readyz') {
    if (ready()) sendJson(res, 200, { status: 'ready' });
    else sendJson(res, 503, { status: 'not ready', reason: 'tasks: not being received (starting or stopping)' });
    return true;
  }
  if (path === '/metrics') {
    void sendMetrics(res);
    return true;
  }
  return false;
}
