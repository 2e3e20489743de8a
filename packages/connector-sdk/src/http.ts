import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRefusal, requestUrl, sendJson, sendMetrics, sendRefusal } from '@simpul/service-kit';

/** Every error answer: `{ "error": { "code", "message", … } }` (docs/participants.md), as Simpul's own routes answer. */
export function sendError(res: ServerResponse, status: number, code: string, message: string, details: Record<string, unknown> = {}): void {
  sendRefusal(res, new HttpRefusal(status, code, message, details));
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
  const path = requestUrl(req).pathname;
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
