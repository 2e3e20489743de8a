import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitUntilReady } from './readiness';

describe('waitUntilReady', () => {
  let server: Server;
  let url: string;
  let answer: { status: number; body: string };

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const never = new Promise<never>(() => undefined);

  it('is ready on 200', async () => {
    answer = { status: 200, body: '{"status":"ready"}' };
    expect(await waitUntilReady(url, { exited: never, intervalMs: 5 })).toEqual({ outcome: 'ready' });
  });

  it('gives up on a silent process that stays not ready, with the reason its /readyz gave', async () => {
    answer = { status: 503, body: JSON.stringify({ status: 'not ready', reason: 'broker: connect ECONNREFUSED 127.0.0.1:4011' }) };
    const outcome = await waitUntilReady(url, { exited: never, intervalMs: 5, stall: { ms: 60_000, lastActivity: () => 0 } });
    expect(outcome).toEqual({ outcome: 'stalled', reason: '/readyz answered 503: broker: connect ECONNREFUSED 127.0.0.1:4011; nothing logged for 60 s' });
  });

  it('keeps waiting while the process makes progress', async () => {
    answer = { status: 503, body: '{}' };
    let polls = 0;
    // Activity on each of the first polls (seeding progress), silent afterwards.
    const lastActivity = () => (++polls < 5 ? Number.MAX_SAFE_INTEGER : 0);
    const outcome = await waitUntilReady(url, { exited: never, intervalMs: 5, stall: { ms: 1000, lastActivity } });
    expect(polls).toBe(5);
    expect(outcome).toEqual({ outcome: 'stalled', reason: '/readyz answered 503; nothing logged for 1 s' });
  });

  it('says when nothing listens', async () => {
    const vacated = createServer();
    await new Promise<void>((resolve) => vacated.listen(0, '127.0.0.1', resolve));
    const port = (vacated.address() as AddressInfo).port;
    await new Promise((resolve) => vacated.close(resolve));
    const closed = await waitUntilReady(`http://127.0.0.1:${port}/readyz`, { exited: never, intervalMs: 5, stall: { ms: 1, lastActivity: () => 0 } });
    expect(closed).toEqual({ outcome: 'stalled', reason: expect.stringMatching(/^\/readyz did not answer \(ECONNREFUSED\); nothing logged/) });
  });
});
