import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SubmitAnswer } from '../workload/business-start';
import { openLoopCount, postSubmit, runOpenLoop, runSubmitLoop } from './submit-loop';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const accepted = (n: number): SubmitAnswer => ({ ok: true, applicationId: `app-${n}`, tasks: [{ id: `task-${n}`, participant: 'licensing', waitsForEarlierSteps: false }] });

describe('runSubmitLoop', () => {
  it('keeps `connections` submits in flight until the duration is over, numbering every one', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const started: number[] = [];
    const result = await runSubmitLoop({
      connections: 3,
      durationMs: 200,
      submit: async (n) => {
        started.push(Date.now());
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await sleep(20);
        inFlight -= 1;
        return accepted(n);
      },
    });

    expect(mostInFlight).toBe(3);
    expect(result.records.map((record) => record.n)).toEqual(result.records.map((_, index) => index));
    expect(result.records.length).toBeGreaterThanOrEqual(15);
    expect(result.records.length).toBeLessThanOrEqual(3 * Math.ceil(200 / 20) + 3);
    const first = Math.min(...started);
    expect(Math.max(...started) - first).toBeLessThan(200);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(200);
    for (const record of result.records) {
      expect(record.responseMs).toBeGreaterThanOrEqual(15);
      expect(record.answer).toEqual(accepted(record.n));
    }
  });

  it('records failed submits with the rest', async () => {
    const result = await runSubmitLoop({
      connections: 1,
      durationMs: 50,
      submit: async (n) => {
        await sleep(5);
        return n % 2 === 0 ? accepted(n) : { ok: false, kind: 'graphql-errors', sample: '200 {"errors":[]}' };
      },
    });
    expect(result.records.filter((record) => !record.answer.ok).length).toBe(Math.floor(result.records.length / 2));
  });

  it('stops at the submit cap before the duration is over', async () => {
    const result = await runSubmitLoop({ connections: 4, durationMs: 10_000, maxSubmits: 10, submit: async (n) => (await sleep(2), accepted(n)) });
    expect(result.records.map((record) => record.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(result.elapsedMs).toBeLessThan(1_000);
  });

  it('takes its start times from the given clock', async () => {
    let clock = 1_000;
    const result = await runSubmitLoop({
      connections: 1,
      durationMs: 300,
      now: () => clock,
      submit: async (n) => {
        clock += 100;
        return accepted(n);
      },
    });
    expect(result.records.map((record) => [record.startedAtMs, record.responseMs])).toEqual([
      [1_000, 100],
      [1_100, 100],
      [1_200, 100],
    ]);
    expect(result.elapsedMs).toBe(300);
  });
});

describe('postSubmit', () => {
  let server: Server;
  let url: string;
  let answer: (respond: (status: number, body: string) => void) => void;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => answer((status, body) => response.writeHead(status, { 'content-type': 'application/json' }).end(body)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads an accepted application', async () => {
    answer = (respond) => respond(200, JSON.stringify({ data: { submitApplication: { id: 'a1', status: 'SUBMITTED', tasks: [{ id: 't1', participant: 'licensing', status: 'ASSIGNED' }] } } }));
    await expect(postSubmit(url, '{}', 1_000)).resolves.toEqual({
      ok: true,
      applicationId: 'a1',
      tasks: [{ id: 't1', participant: 'licensing', waitsForEarlierSteps: false }],
    });
  });

  it('turns a slow answer into a timeout and a closed port into a connection failure', async () => {
    answer = (respond) => setTimeout(() => respond(200, '{}'), 500);
    await expect(postSubmit(url, '{}', 50)).resolves.toMatchObject({ ok: false, kind: 'timeout' });

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(postSubmit(`http://127.0.0.1:${closedPort}/graphql`, '{}', 1_000)).resolves.toMatchObject({ ok: false, kind: 'connection' });
  });
});

describe('runOpenLoop', () => {
  it('schedules submit n at n ÷ rate on its own clock, never waiting for answers', async () => {
    // A fake clock: sleeping moves it; no answer comes until every submit has started, which a
    // closed loop would never get past.
    let clock = 1_000;
    const scheduled: number[] = [];
    let releaseAnswers!: () => void;
    const allStarted = new Promise<void>((resolve) => (releaseAnswers = resolve));
    const result = await runOpenLoop({
      ratePerSecond: 20,
      durationMs: 500,
      now: () => clock,
      sleepUntil: async (at) => {
        clock = Math.max(clock, at);
      },
      submit: async (n) => {
        scheduled.push(clock);
        if (n === 9) releaseAnswers();
        await allStarted;
        clock += 5;
        return accepted(n);
      },
    });
    expect(scheduled).toEqual(Array.from({ length: 10 }, (_, n) => 1_000 + n * 50));
    expect(result.records.map((record) => record.n)).toEqual([...Array(10).keys()]);
    expect(result.records.map((record) => record.startedAtMs)).toEqual(scheduled);
    expect(result.records.every((record) => record.answer.ok)).toBe(true);
    // The last answer came after 10 answers of 5 ms each, after the last start at 1,450.
    expect(result.elapsedMs).toBe(450 + 50);
  });

  it('counts the submits of a window, at most the cap', () => {
    expect(openLoopCount(20, 15_000)).toBe(300);
    expect(openLoopCount(3, 1_000)).toBe(3);
    expect(openLoopCount(7, 1_100)).toBe(8);
    expect(openLoopCount(20, 15_000, 100)).toBe(100);
    expect(() => openLoopCount(0, 1_000)).toThrow('positive rate');
  });
});
