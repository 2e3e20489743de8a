import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, sendMetrics, sendReadiness, type Logger, BodyTooLargeError, readBody, requestUrl, sendJson } from '@simpul/service-kit';
import { z } from 'zod';
import { EmbeddedLogStore, StoreError, type LogStoreOptions } from './log-store';

// The embedded broker's HTTP API (JSON; used by EmbeddedTransport, not meant as a public API):
//   GET  /healthz, GET /readyz (the log store answers), GET /metrics (Prometheus)
//   GET  /v1/topics                            → { topics: [name…] }
//   GET  /v1/topics/:topic                     → { partitions: [{ partition, endOffset }] }
//   POST /v1/topics/:topic/messages            { messages: [{ key, value, headers }] } → { placed }
//   POST /v1/messages                          { topics: [{ topic, messages }] } → { placed: [[…]…] }
//   POST /v1/fetch                             { positions, maxWaitMs, maxRecords, commit? } → { records }
//                                              (commit: { group, generation, offsets }, applied first; 409 FENCED)
//   POST /v1/groups/:group/join                → { generation }
//   GET  /v1/groups/:group/offsets?topic=…     → { generation, offsets }
//   POST /v1/groups/:group/commit              { generation, offsets } (409 FENCED if superseded)
//   POST /v1/groups/:group/seek                { topic, from } → { offsets }

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_WAIT_MS = 30_000;

const headersSchema = z.record(z.string(), z.string());
const messagesSchema = z.array(z.object({ key: z.string().nullable(), value: z.string(), headers: headersSchema.default({}) })).min(1);
const publishBody = z.object({ messages: messagesSchema });
const publishTopicsBody = z.object({ topics: z.array(z.object({ topic: z.string(), messages: messagesSchema })).min(1) });
const positionSchema = z.object({ topic: z.string(), partition: z.number().int().min(0), offset: z.number().int().min(0) });
const commitBody = z.object({ generation: z.number().int(), offsets: z.array(positionSchema) });
const fetchBody = z.object({
  positions: z.array(positionSchema).min(1),
  maxWaitMs: z.number().int().min(0).max(MAX_WAIT_MS).default(0),
  maxRecords: z.number().int().min(1).max(10_000).default(500),
  /** The offsets a consumer handled since its last fetch: committed before fetching (one request instead of two). */
  commit: commitBody.extend({ group: z.string() }).optional(),
});
const seekBody = z.object({
  topic: z.string(),
  from: z.union([
    z.literal('earliest'),
    z.literal('latest'),
    z.object({ offset: z.string().regex(/^\d+$/) }),
    z.object({ timestamp: z.number().int().min(0) }),
  ]),
});

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text: string;
  try {
    text = await readBody(req, { limit: MAX_BODY_BYTES });
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new HttpError(413, 'TOO_LARGE', `request body exceeds ${MAX_BODY_BYTES} bytes`);
    throw error;
  }
  try {
    return JSON.parse(text || '{}');
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'request body is not JSON');
  }
}

async function body<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.output<S>> {
  const result = schema.safeParse(await readJson(req));
  if (!result.success) throw new HttpError(400, 'INVALID_REQUEST', result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return result.data;
}

export interface EmbeddedBrokerOptions extends LogStoreOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  logger?: Logger;
}

export interface RunningEmbeddedBroker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts the embedded event broker (no Kafka needed) on a data directory. */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<RunningEmbeddedBroker> {
  const store = await EmbeddedLogStore.open(options);
  const inFlight = new Set<AbortController>();
  let stopping = false;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'GET' && url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (method === 'GET' && url.pathname === '/readyz') {
      return sendReadiness(res, {
        'log-store': async () => {
          if (stopping) throw new Error('stopping');
          await store.listTopics();
        },
      });
    }
    if (method === 'GET' && url.pathname === '/metrics') return sendMetrics(res);
    if (parts[0] !== 'v1') throw new HttpError(404, 'NOT_FOUND', `no route ${method} ${url.pathname}`);

    if (parts[1] === 'topics' && parts.length === 2 && method === 'GET') {
      return sendJson(res, 200, { topics: await store.listTopics() });
    }
    if (parts[1] === 'topics' && parts.length === 3 && method === 'GET') {
      return sendJson(res, 200, { partitions: await store.describe(parts[2]!) });
    }
    if (parts[1] === 'topics' && parts[3] === 'messages' && parts.length === 4 && method === 'POST') {
      const { messages } = await body(req, publishBody);
      return sendJson(res, 200, { placed: await store.publish(parts[2]!, messages) });
    }
    if (parts[1] === 'messages' && parts.length === 2 && method === 'POST') {
      const { topics } = await body(req, publishTopicsBody);
      return sendJson(res, 200, { placed: await Promise.all(topics.map(({ topic, messages }) => store.publish(topic, messages))) });
    }
    if (parts[1] === 'fetch' && parts.length === 2 && method === 'POST') {
      const request = await body(req, fetchBody);
      if (request.commit) await store.commit(request.commit.group, request.commit.generation, request.commit.offsets);
      // A client that gives up on a long poll (stop, timeout) closes the connection: stop waiting.
      const abort = new AbortController();
      inFlight.add(abort);
      res.once('close', () => abort.abort());
      try {
        return sendJson(res, 200, { records: await store.fetch(request.positions, { ...request, signal: abort.signal }) });
      } finally {
        inFlight.delete(abort);
      }
    }
    if (parts[1] === 'groups' && parts.length === 4) {
      const group = parts[2]!;
      if (parts[3] === 'join' && method === 'POST') return sendJson(res, 200, { generation: await store.join(group) });
      if (parts[3] === 'offsets' && method === 'GET') return sendJson(res, 200, await store.committed(group, url.searchParams.getAll('topic')));
      if (parts[3] === 'commit' && method === 'POST') {
        const { generation, offsets } = await body(req, commitBody);
        await store.commit(group, generation, offsets);
        return sendJson(res, 200, { committed: offsets.length });
      }
      if (parts[3] === 'seek' && method === 'POST') {
        const { topic, from } = await body(req, seekBody);
        return sendJson(res, 200, { offsets: await store.seek(group, topic, from) });
      }
    }
    throw new HttpError(404, 'NOT_FOUND', `no route ${method} ${url.pathname}`);
  };

  const server = await listen(
    async (req, res) => {
      try {
        await handle(req, res);
      } catch (error) {
        if (error instanceof HttpError) return sendJson(res, error.status, { code: error.code, error: error.message });
        if (error instanceof StoreError) return sendJson(res, error.code === 'FENCED' ? 409 : 400, { code: error.code, error: error.message });
        options.logger?.error({ err: error, url: req.url }, 'embedded broker request failed');
        if (!res.headersSent) sendJson(res, 500, { code: 'INTERNAL', error: 'internal error' });
      }
    },
    { host: options.host ?? '127.0.0.1', port: options.port ?? 0, path: '' },
  );
  options.logger?.info({ dataDir: options.dataDir }, 'embedded event broker listening');

  return {
    url: server.url,
    port: server.port,
    async stop() {
      stopping = true;
      for (const abort of inFlight) abort.abort();
      await server.close();
      await store.close();
    },
  };
}
