import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

/** Thrown once a response body is known to exceed the cap; the rest is never read. */
export class SubgraphResponseTooLargeError extends Error {
  override name = 'SubgraphResponseTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the response body exceeds ${maxBytes} bytes`);
  }
}

/** The fetch's deadline passed (named as the platform's AbortSignal.timeout names it). */
export class SubgraphFetchTimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
  }
}

/** What RemoteGraphQLDataSource reads of a fetch's response. */
export interface SubgraphFetchResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}

export interface SubgraphFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * The gateway's fetch of one subgraph, on node:http with kept-alive connections rather than the
 * platform's fetch: a subgraph fetch costs about a third of the CPU (≈270 against ≈750 µs for a
 * round trip with a 2 kB answer, measured in one process here), and a unified profile makes seven.
 * One deadline covers connecting, sending and reading the whole body; the body is read chunk by
 * chunk and dropped with the connection once it passes `maxBytes` (or its Content-Length says it
 * will), so a misbehaving subgraph costs the gateway at most `maxBytes` per fetch.
 */
export function createSubgraphFetcher(options: { timeoutMs: number; maxBytes: number }): (url: string, init?: SubgraphFetchInit) => Promise<SubgraphFetchResponse> {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
    'https:': new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
  };
  return (url, init = {}) =>
    new Promise<SubgraphFetchResponse>((resolve, reject) => {
      const target = new URL(url);
      const transport = target.protocol === 'https:' ? https : http;
      const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
      const body = init.body ?? '';
      const headers = { ...init.headers, 'content-length': String(Buffer.byteLength(body)) };
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        request.destroy(error);
        reject(error);
      };
      const deadline = setTimeout(() => fail(new SubgraphFetchTimeoutError(options.timeoutMs)), options.timeoutMs);
      const request = transport.request(target, { method: init.method ?? 'POST', headers, agent }, (response: IncomingMessage) => {
        if (Number(response.headers['content-length'] ?? 0) > options.maxBytes) return fail(new SubgraphResponseTooLargeError(options.maxBytes));
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) return fail(new SubgraphResponseTooLargeError(options.maxBytes));
          chunks.push(chunk);
        });
        response.on('error', fail);
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          const text = Buffer.concat(chunks, size).toString('utf8');
          const status = response.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: response.statusMessage ?? '',
            url,
            headers: {
              get: (name) => {
                const value = response.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(', ') : String(value);
              },
            },
            json: async () => JSON.parse(text) as unknown,
            text: async () => text,
          });
        });
      });
      request.on('error', fail);
      request.end(body);
    });
}
