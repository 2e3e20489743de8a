import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInternalHttpClient, SubgraphResponseTooLargeError } from './internal-http';

describe('createInternalHttpClient', () => {
  let server: Server;
  let url: string;
  /** Per connection, how many requests it has carried; the handler decides from it. */
  let handle: (requestOnSocket: number, res: import('node:http').ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const socket = req.socket as typeof req.socket & { carried?: number };
      socket.carried = (socket.carried ?? 0) + 1;
      req.resume();
      req.on('end', () => handle(socket.carried!, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const answer = (res: import('node:http').ServerResponse, body = '{"data":{"ok":true}}') => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  };

  it('reuses the connection, and sends once more on a fresh one when the peer drops a reused connection before answering', async () => {
    const call = createInternalHttpClient({ timeoutMs: 2000, maxBytes: 1024 });
    // The second request on any connection finds it closed by the peer (an idle timeout racing the reuse).
    handle = (requestOnSocket, res) => (requestOnSocket === 2 ? res.socket!.destroy() : answer(res));
    expect(await (await call(url, { body: '{}' })).json()).toEqual({ data: { ok: true } });
    const again = await call(url, { body: '{}' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ data: { ok: true } });
  });

  it('gives up on a fresh connection that fails, and on an answer over the cap', async () => {
    const call = createInternalHttpClient({ timeoutMs: 2000, maxBytes: 64 });
    handle = (_requestOnSocket, res) => res.socket!.destroy();
    await expect(call(url, { body: '{}' })).rejects.toMatchObject({ code: 'ECONNRESET' });
    handle = (_requestOnSocket, res) => answer(res, JSON.stringify({ data: 'x'.repeat(200) }));
    await expect(call(url, { body: '{}' })).rejects.toBeInstanceOf(SubgraphResponseTooLargeError);
  });

  it('times out one deadline over the whole call', async () => {
    const call = createInternalHttpClient({ timeoutMs: 100, maxBytes: 1024 });
    handle = () => undefined;
    await expect(call(url, { body: '{}' })).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});
