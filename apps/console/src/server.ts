import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ConsoleEnv } from './env';

/** Where the console lives on its origin; `/` redirects here. */
export const CONSOLE_BASE = '/console/';
/** The gateway's public routes the browser uses; everything else of the gateway stays unreachable here. */
const GATEWAY_PATH = /^\/(graphql|live\/applications\/[^/]+)$/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Hop-by-hop headers (RFC 9110 §7.6.1) are never forwarded by a proxy. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

/** dist/server → dist/web: where `vite build` leaves the app. */
export const DEFAULT_WEB_DIR = resolve(__dirname, '..', 'web');

function securityHeaders(issuerOrigin: string): Record<string, string> {
  return {
    // The app's own scripts only; the only other origin it talks to is the realm's token endpoint.
    'content-security-policy': `default-src 'self'; connect-src 'self' ${issuerOrigin}; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self' ${issuerOrigin}`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/**
 * The console's HTTP server: the built web app under /console/ (every unknown path under it is the
 * app's index.html, so a reload or a return from sign-in lands on the same screen), its runtime
 * configuration at /console/config.json, and the gateway's public API (`/graphql`,
 * `/live/applications/<id>`) on the same origin — the gateway has no CORS, and a same-origin app
 * needs none. The proxy passes requests through unchanged: the gateway verifies every token and
 * purpose itself. Plain node:http: two routes and a static directory need no framework.
 */
export function createConsoleServer(env: ConsoleEnv): Server {
  const webDir = env.WEB_DIR ? resolve(env.WEB_DIR) : DEFAULT_WEB_DIR;
  const gateway = new URL(env.GATEWAY_URL);
  const issuerOrigin = new URL(env.OIDC_ISSUER_URL).origin;
  const headers = securityHeaders(issuerOrigin);
  const config = JSON.stringify({ issuer: env.OIDC_ISSUER_URL, clientId: env.OIDC_CLIENT_ID });

  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://console').pathname;
    if (GATEWAY_PATH.test(path)) return proxy(req, res, gateway);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/' || path === '/console') {
      res.writeHead(302, { location: CONSOLE_BASE }).end();
      return;
    }
    if (path === '/readyz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (!path.startsWith(CONSOLE_BASE)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (path === `${CONSOLE_BASE}config.json`) {
      res.writeHead(200, { ...headers, 'content-type': CONTENT_TYPES['.json']!, 'cache-control': 'no-store' }).end(config);
      return;
    }
    void serveStatic(req, res, webDir, path.slice(CONSOLE_BASE.length), headers);
  });
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, webDir: string, relative: string, headers: Record<string, string>): Promise<void> {
  const decoded = safeDecode(relative);
  const candidate = decoded === undefined ? undefined : normalize(join(webDir, decoded));
  const inside = candidate !== undefined && (candidate === webDir || candidate.startsWith(webDir + sep));
  let file = inside ? candidate : undefined;
  if (file && !(await isFile(file))) file = undefined;
  // A path without an extension is a screen of the app (client-side routing): its index.html.
  if (!file && extname(relative) === '') file = join(webDir, 'index.html');
  if (!file || !(await isFile(file))) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const immutable = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    ...headers,
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(file), res).catch(() => res.destroy());
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

function proxy(req: IncomingMessage, res: ServerResponse, gateway: URL): void {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
  const send = gateway.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(
    { protocol: gateway.protocol, hostname: gateway.hostname, port: gateway.port, method: req.method, path: req.url, headers: { ...headers, host: gateway.host } },
    (answer) => {
      const answerHeaders = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      res.writeHead(answer.statusCode ?? 502, answerHeaders);
      // Server-sent events: each chunk goes on as it arrives.
      res.flushHeaders();
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'The gateway cannot be reached', extensions: { code: 'GATEWAY_UNAVAILABLE' } }] }));
    } else res.destroy();
  });
  // The browser went away (a closed live stream): close the gateway's stream with it.
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}
