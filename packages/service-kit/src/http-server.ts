import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { BodyTooLargeError, readBody, requestUrl, sendJson, type HttpRoute } from './http-route';
import { checkReadiness, type ReadinessChecks } from './observability/health';
import { sendMetrics } from './observability/metrics';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface GraphQLHttpOptions<TContext extends BaseContext> {
  server: ApolloServer<TContext>;
  context: (req: IncomingMessage) => Promise<TContext> | TContext;
  /** Extra routes tried before GraphQL; return true when handled. */
  routes?: HttpRoute[];
  /**
   * Readiness checks for `/readyz`, by name (e.g. `{ database: ping }`; a bare function is named
   * `service`), beside the process-wide ones (registerReadinessCheck: broker, audit log).
   */
  ready?: (() => Promise<void>) | ReadinessChecks;
  path?: string;
}

/** Answers `/readyz`: 200 when every required check passes, else 503 naming the failing one and why. */
export async function sendReadiness(res: ServerResponse, checks?: (() => Promise<void>) | ReadinessChecks): Promise<void> {
  const report = await checkReadiness(typeof checks === 'function' ? { service: checks } : checks);
  sendJson(res, report.status === 'ready' ? 200 : 503, report);
}

/** A node:http handler serving Apollo Server at `/graphql`, plus `/healthz`, `/readyz` and `/metrics`. */
export function createGraphQLHandler<TContext extends BaseContext>(options: GraphQLHttpOptions<TContext>) {
  const path = options.path ?? '/graphql';
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    try {
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz') return await sendReadiness(res, options.ready);
      if (url.pathname === '/metrics' && req.method === 'GET') return await sendMetrics(res);
      for (const route of options.routes ?? []) if (await route(req, res)) return;
      if (url.pathname !== path) return sendJson(res, 404, { error: 'not found' });

      const raw = req.method === 'POST' ? await readBody(req, { limit: MAX_BODY_BYTES }) : '';
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let body: unknown = raw;
      if (raw && (headers.get('content-type') ?? '').includes('json')) {
        try {
          body = JSON.parse(raw);
        } catch {
          return sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
        }
      }
      const result = await options.server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () => Promise.resolve(options.context(req)),
      });
      for (const [key, value] of result.headers) res.setHeader(key, value);
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        res.end(result.body.string);
        return;
      }
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return sendJson(res, 413, { errors: [{ message: `Request body exceeds ${MAX_BODY_BYTES} bytes`, extensions: { code: 'BAD_REQUEST' } }] });
      }
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    }
  };
}

export interface RunningHttpServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  { host = '127.0.0.1', port = 0, path = '/graphql' }: { host?: string; port?: number; path?: string } = {},
): Promise<RunningHttpServer> {
  const server = createServer((req, res) => void handler(req, res));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    port: address.port,
    url: `http://${host}:${address.port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
