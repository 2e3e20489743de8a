import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '@simpul/testing';
import { partitionForKey, type EmbeddedTransport, type IncomingMessage } from '../src';
import { transportContractCases } from '../src/testing';
import { spawnBrokerProcess, startTestBroker, tempDir, testEmbeddedTransport } from './support/embedded';

jest.setTimeout(30_000);

const eventually = async (condition: () => boolean, what: string, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('EmbeddedTransport contract', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let transport: EmbeddedTransport;

  beforeAll(async () => {
    dir = await tempDir('events-contract');
    broker = await startTestBroker(dir.path);
    transport = testEmbeddedTransport(broker.url);
    await transport.connect();
  });

  afterAll(async () => {
    await transport.close();
    await broker.stop();
    await dir.remove();
  });

  it.each(transportContractCases.map((c) => [c.name, c] as const))('%s', (_name, contractCase) => contractCase.run({ transport, timeoutMs: 10_000 }));
});

describe('embedded broker durability', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  // Cleanups run even when a test failed half-way (reverse order: consumers, then brokers).
  let cleanups: Array<() => unknown>;
  const defer = (cleanup: () => unknown) => cleanups.push(cleanup);
  beforeEach(async () => {
    dir = await tempDir('events-durability');
    cleanups = [];
  });
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    await dir.remove();
  });

  it('keeps at-least-once delivery across a broker restart: committed not redelivered, uncommitted redelivered', async () => {
    const broker = await startTestBroker(dir.path);
    defer(() => broker.stop());
    const transport = testEmbeddedTransport(broker.url);
    defer(() => transport.close());
    await transport.publish('mpp.task.status.v1', Array.from({ length: 6 }, (_, i) => ({ key: 'app-1', value: `m${i + 1}` })));

    const handled: string[] = [];
    let gate: (() => void) | undefined;
    const subscription = await transport.subscribe({
      groupId: 'applications',
      topics: ['mpp.task.status.v1'],
      async handle(message) {
        // m4 waits until the broker has gone away and come back: its commit meets a new broker process.
        if (message.value === 'm4' && !handled.includes('m4-seen')) {
          handled.push('m4-seen');
          await new Promise<void>((resolve) => {
            gate = resolve;
            defer(resolve);
          });
          throw new Error('the database was unreachable too');
        }
        handled.push(message.value);
      },
    });
    await eventually(() => gate !== undefined, 'm4 in flight');
    expect(handled).toEqual(['m1', 'm2', 'm3', 'm4-seen']);

    await broker.stop();
    await broker.start();
    await transport.publish('mpp.task.status.v1', [{ key: 'app-1', value: 'm7' }]);
    gate!();
    await eventually(() => handled.includes('m7'), 'm4…m7 after the restart');
    await subscription.stop();
    expect(handled).toEqual(['m1', 'm2', 'm3', 'm4-seen', 'm4', 'm5', 'm6', 'm7']);

    // A new consumer of the group, after another restart, starts after m7: nothing redelivered.
    await broker.stop();
    await broker.start();
    const later: string[] = [];
    const again = await transport.subscribe({ groupId: 'applications', topics: ['mpp.task.status.v1'], handle: async (m) => void later.push(m.value) });
    await transport.publish('mpp.task.status.v1', [{ key: 'app-1', value: 'm8' }]);
    await eventually(() => later.length > 0, 'm8');
    await again.stop();
    expect(later).toEqual(['m8']);
  });

  it('survives SIGKILL of the broker process: every acknowledged message and commit is still there', async () => {
    const port = await freePort();
    let brokerProcess = await spawnBrokerProcess(dir.path, port);
    defer(() => brokerProcess.child.kill('SIGKILL'));
    const transport = testEmbeddedTransport(`http://127.0.0.1:${port}`);
    defer(() => transport.close());
    const keys = ['app-1', 'app-2', 'app-3'];
    for (let i = 1; i <= 30; i++) await transport.publish('mpp.task.assigned.dukcapil.v1', [{ key: keys[i % 3]!, value: `t${i}` }]);

    const first: IncomingMessage[] = [];
    const subscription = await transport.subscribe({
      groupId: 'dukcapil',
      topics: ['mpp.task.assigned.dukcapil.v1'],
      handle: async (m) => void first.push(m),
    });
    await eventually(() => first.length === 30, '30 handled');
    await subscription.stop();

    brokerProcess.child.kill('SIGKILL');
    await brokerProcess.exited;
    brokerProcess = await spawnBrokerProcess(dir.path, port);

    const read = await transport.read('mpp.task.assigned.dukcapil.v1');
    expect(read.map((m) => m.value).sort()).toEqual(first.map((m) => m.value).sort());
    for (const key of keys) expect(new Set(read.filter((m) => m.key === key).map((m) => m.partition))).toEqual(new Set([partitionForKey(key, 4)]));

    const second: string[] = [];
    const resumed = await transport.subscribe({ groupId: 'dukcapil', topics: ['mpp.task.assigned.dukcapil.v1'], handle: async (m) => void second.push(m.value) });
    await transport.publish('mpp.task.assigned.dukcapil.v1', [{ key: 'app-1', value: 't31' }]);
    await eventually(() => second.length > 0, 't31');
    await resumed.stop();
    expect(second).toEqual(['t31']);
    brokerProcess.child.kill('SIGTERM');
    expect(await brokerProcess.exited).toBe(0);
  });

  it('drops a torn last record left by a crash mid-write, and appends after the last complete one', async () => {
    const first = await startTestBroker(dir.path);
    await testEmbeddedTransport(first.url).publish('mpp.task.status.v1', [{ key: 'app-1', value: 'complete' }]);
    await first.stop();

    const log = join(dir.path, 'topics', 'mpp.task.status.v1', `${partitionForKey('app-1', 4)}.log`);
    await appendFile(log, '{"offset":1,"timestamp":17');
    const broker = await startTestBroker(dir.path);
    defer(() => broker.stop());
    const transport = testEmbeddedTransport(broker.url);
    await transport.publish('mpp.task.status.v1', [{ key: 'app-1', value: 'after restart' }]);
    expect((await transport.read('mpp.task.status.v1')).map((m) => [m.offset, m.value])).toEqual([
      ['0', 'complete'],
      ['1', 'after restart'],
    ]);
    expect((await readFile(log, 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('refuses to serve a topic with a corrupt record instead of cutting its log short', async () => {
    const first = await startTestBroker(dir.path);
    const transport = testEmbeddedTransport(first.url);
    await transport.publish('mpp.task.status.v1', [
      { key: 'app-1', value: 'one' },
      { key: 'app-1', value: 'two' },
    ]);
    await first.stop();
    const log = join(dir.path, 'topics', 'mpp.task.status.v1', `${partitionForKey('app-1', 4)}.log`);
    const lines = (await readFile(log, 'utf8')).split('\n');
    await writeFile(log, [lines[0]!.slice(0, 10), ...lines.slice(1)].join('\n'));

    const broker = await startTestBroker(dir.path);
    defer(() => broker.stop());
    await expect(testEmbeddedTransport(broker.url).read('mpp.task.status.v1')).rejects.toThrow(/internal error/);
    expect((await readFile(log, 'utf8')).split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('gives a group one active consumer: a new subscription fences the old one', async () => {
    const broker = await startTestBroker(dir.path);
    defer(() => broker.stop());
    const transport = testEmbeddedTransport(broker.url);
    defer(() => transport.close());
    const old: string[] = [];
    let releaseOld: (() => void) | undefined;
    const oldSubscription = await transport.subscribe({
      groupId: 'tax',
      topics: ['mpp.task.assigned.tax.v1'],
      async handle(message) {
        old.push(message.value);
        if (message.value === 'a2') {
          await new Promise<void>((resolve) => {
            releaseOld = resolve;
            defer(resolve);
          });
        }
      },
    });
    await transport.publish('mpp.task.assigned.tax.v1', [
      { key: 'app-1', value: 'a1' },
      { key: 'app-1', value: 'a2' },
      { key: 'app-1', value: 'a3' },
    ]);
    await eventually(() => releaseOld !== undefined, 'a2 in flight at the old consumer');

    const current: string[] = [];
    const newSubscription = await transport.subscribe({ groupId: 'tax', topics: ['mpp.task.assigned.tax.v1'], handle: async (m) => void current.push(m.value) });
    await eventually(() => current.length === 2, 'a2, a3 at the new consumer');
    releaseOld!(); // the old consumer's commit of a2 is refused and it stops
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(old).toEqual(['a1', 'a2']);
    expect(current).toEqual(['a2', 'a3']);
    await oldSubscription.stop();
    await newSubscription.stop();
  });
});

describe('embedded consumer commits', () => {
  it('commits the last message of a batch with the next fetch, and a fetch carrying a fenced commit is refused', async () => {
    const dir = await tempDir('events-commit');
    const broker = await startTestBroker(dir.path);
    const transport = testEmbeddedTransport(broker.url);
    try {
      await transport.publish('mpp.task.status.v1', [{ key: 'app-1', value: 'only' }]);
      const handled: string[] = [];
      const subscription = await transport.subscribe({ groupId: 'applications', topics: ['mpp.task.status.v1'], handle: async (m) => void handled.push(m.value) });
      const partition = partitionForKey('app-1', 4);
      const committedOffset = async () => {
        const { offsets } = await transport.request<{ offsets: Array<{ partition: number; offset: number }> }>('GET', '/v1/groups/applications/offsets?topic=mpp.task.status.v1');
        return offsets.find((o) => o.partition === partition)?.offset;
      };
      let offset: number | undefined;
      await eventually(() => handled.length === 1, 'the message handled');
      // Committed while the subscription keeps running: by the fetch that follows the handled batch.
      for (let i = 0; i < 100 && offset !== 1; i++) {
        offset = await committedOffset();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(offset).toBe(1);
      await subscription.stop();

      const fenced = transport.request('POST', '/v1/fetch', {
        positions: [{ topic: 'mpp.task.status.v1', partition, offset: 1 }],
        commit: { group: 'applications', generation: 0, offsets: [{ topic: 'mpp.task.status.v1', partition, offset: 0 }] },
      });
      await expect(fenced).rejects.toMatchObject({ status: 409, code: 'FENCED' });
      expect(await committedOffset()).toBe(1);
    } finally {
      await transport.close();
      await broker.stop();
      await dir.remove();
    }
  });
});
