import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { EmbeddedTransport, dlqTopic, publishDeadLetter, startEmbeddedBroker, type IncomingMessage } from '@simpul/events';
import { runEventsCommand } from './events-command';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('simpul events replay', () => {
  let dataDir: string;
  let broker: Awaited<ReturnType<typeof startEmbeddedBroker>>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'simpul-events-cli-'));
    broker = await startEmbeddedBroker({ dataDir, port: 0, sync: false });
  });
  afterAll(async () => {
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('re-delivers a dead letter to its origin topic on the embedded broker', async () => {
    const transport = new EmbeddedTransport({ url: broker.url });
    await transport.connect();
    const origin = 'mpp.task.status.v1';
    const poisoned: IncomingMessage = {
      topic: origin,
      partition: 0,
      offset: '0',
      key: 'app-1',
      value: '{"not":"an event"}',
      headers: {},
      timestamp: Date.now(),
    };
    await publishDeadLetter(transport, poisoned, { rule: 'INVALID_ENVELOPE', error: 'boom', attempts: 1, consumerGroup: 'applications' });
    expect(await transport.read(origin)).toHaveLength(0);

    const stdout = capture();
    const stderr = capture();
    const code = await runEventsCommand(['replay', '--dlq', dlqTopic(origin), '--events-url', broker.url], {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: {},
    });
    expect({ code, stderr: stderr.text() }).toEqual({ code: 0, stderr: '' });
    expect(stdout.text()).toMatch(/Replayed 1 dead letter/);
    const redelivered = await transport.read(origin);
    expect(redelivered.map((m) => m.value)).toEqual(['{"not":"an event"}']);
    await transport.close();
  });

  it.each([[[]], [['replay']], [['replay', '--dlq', 'mpp.task.status.v1']], [['purge', '--dlq', 'x.dlq']]])(
    'refuses bad usage %j with exit 2',
    async (argv) => {
      const stderr = capture();
      expect(await runEventsCommand(argv as string[], { stdout: capture().stream, stderr: stderr.stream, env: {} })).toBe(2);
      expect(stderr.text()).toMatch(/Usage: simpul events replay/);
    },
  );
});
