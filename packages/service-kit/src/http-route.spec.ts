import { request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpRefusal, readBody, readJsonBody, route, sendJson, type HttpRoute } from './http-route';
import { listen, type RunningHttpServer } from './http-server';
import type { Logger } from './logger';

const logged: { fields: Record<string, unknown>; message: string }[] = [];
const logger = { error: (fields: Record<string, unknown>, message: string) => void logged.push({ fields, message }) } as unknown as Logger;

const routes: HttpRoute[] = [
  route({
    path: '/participants/:code/reports',
    methods: ['POST'],
    logger,
    async handle({ req, params }, res) {
      const body = await readJsonBody(req, { limit: 64, contentTypes: ['application/json'] });
      if (params.code === 'refused') throw new HttpRefusal(403, 'FORBIDDEN', 'not yours', { rule: 'NOT_OWN' });
      sendJson(res, 202, { code: params.code, body });
    },
  }),
  route({
    path: '/raw',
    methods: ['PUT', 'POST'],
    async handle({ req, url }, res) {
      sendJson(res, 200, { length: (await readBody(req, { limit: 1024 })).length, q: url.searchParams.get('q') });
    },
  }),
  route({
    path: '/failing',
    methods: ['GET'],
    logger,
    handle() {
      throw new Error('database password in a stack trace');
    },
  }),
];

let http: RunningHttpServer;
beforeAll(async () => {
  http = await listen(
    async (req: IncomingMessage, res: ServerResponse) => {
      for (const tried of routes) if (await tried(req, res)) return;
      sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no route' } });
    },
    { path: '' },
  );
});
afterAll(() => http.close());

const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${http.url}${path}`, { method: 'POST', headers, body });

describe('route()', () => {
  it('matches the path, decodes its parameters and hands the body over', async () => {
    const res = await post('/participants/bank%20bpd/reports', '{"taskId":"t-1"}');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ code: 'bank bpd', body: { taskId: 't-1' } });
  });

  it('leaves other paths to the next route', async () => {
    expect((await post('/participants/pln/other', '{}')).status).toBe(404);
    expect((await post('/participants//reports', '{}')).status).toBe(404);
  });

  it('answers another method 405 with Allow, before the handler runs', async () => {
    const res = await fetch(`${http.url}/raw`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('PUT, POST');
    expect(await res.json()).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: 'use PUT or POST' } });
  });

  it('refuses a body past its limit 413, whether declared or streamed, and closes the connection', async () => {
    const declared = await post('/participants/pln/reports', JSON.stringify({ padding: 'x'.repeat(100) }));
    expect(declared.status).toBe(413);
    expect(declared.headers.get('connection')).toBe('close');
    expect(await declared.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'the body exceeds 64 bytes' } });

    // Chunked, no Content-Length: refused once the limit is passed, the rest of the upload still read.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${http.url}/participants/pln/reports`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('x'.repeat(40));
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('refuses another content type 415 and a body that is not JSON 400, coded', async () => {
    const text = await post('/participants/pln/reports', '{}', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    const broken = await post('/participants/pln/reports', '{"taskId":');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: 'BAD_REQUEST', message: 'the body is not JSON' } });
    expect((await post('/participants/pln/reports', '{}', { 'content-type': 'application/json; charset=utf-8' })).status).toBe(202);
  });

  it('answers a thrown refusal with its status, code and details', async () => {
    const res = await post('/participants/refused/reports', '{}');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'not yours', rule: 'NOT_OWN' } });
  });

  it('refuses a malformed percent-encoding in the path 400', async () => {
    const res = await post('/participants/%E0%A4%A/reports', '{}');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('masks an unknown error as 500 with the correlation id, which the log carries with the error', async () => {
    const res = await fetch(`${http.url}/failing`, { headers: { 'x-correlation-id': 'corr-42' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error; retry later', correlationId: 'corr-42' } });
    expect(text).not.toContain('password');
    expect(logged.at(-1)).toMatchObject({ fields: { correlationId: 'corr-42', path: '/failing' }, message: 'request failed' });
  });

  it('gives the handler the query string', async () => {
    const res = await fetch(`${http.url}/raw?q=siak`, { method: 'PUT', body: 'abc' });
    expect(await res.json()).toEqual({ length: 3, q: 'siak' });
  });
});
