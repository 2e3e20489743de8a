import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import type { EventTransport, IncomingMessage, OutgoingMessage, Subscription } from '../transport';

/**
 * The behaviour every EventTransport must have, as framework-neutral cases (node:assert) so any
 * transport — and any test runner — can run them: `for (const c of transportContractCases) it(c.name, () => c.run(ctx))`.
 */
export interface TransportContractContext {
  transport: EventTransport;
  /** How long to wait for an expected delivery. */
  timeoutMs: number;
}

export interface TransportContractCase {
  name: string;
  run(context: TransportContractContext): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

function names(label: string) {
  const suffix = randomBytes(4).toString('hex');
  return { topic: `contract.${label}.${suffix}`, group: `contract-${label}-${suffix}` };
}

function messages(key: string, count: number, from = 1): OutgoingMessage[] {
  return Array.from({ length: count }, (_, i) => ({ key, value: `${key}:${from + i}` }));
}

/** A subscription recording what it received; `fail` decides per message whether the handler throws. */
async function record(
  transport: EventTransport,
  options: { group: string; topics: string[]; fromBeginning?: boolean; fail?: (message: IncomingMessage, attempt: number) => boolean },
  open: Subscription[],
) {
  const handled: IncomingMessage[] = [];
  const attempts: IncomingMessage[] = [];
  const subscription: Subscription = await transport.subscribe({
    groupId: options.group,
    topics: options.topics,
    fromBeginning: options.fromBeginning,
    async handle(message) {
      attempts.push(message);
      const attempt = attempts.filter((m) => m.topic === message.topic && m.partition === message.partition && m.offset === message.offset).length;
      if (options.fail?.(message, attempt)) throw new Error(`refusing ${message.value} (attempt ${attempt})`);
      handled.push(message);
    },
  });
  open.push(subscription);
  return { handled, attempts, subscription, values: () => handled.map((m) => m.value) };
}

/** Runs a case body, stopping every subscription it opened even when an assertion failed. */
function withSubscriptions(body: (open: Subscription[]) => Promise<void>): () => Promise<void> {
  return async () => {
    const open: Subscription[] = [];
    try {
      await body(open);
    } finally {
      await Promise.allSettled(open.map((subscription) => subscription.stop()));
    }
  };
}

export const transportContractCases: TransportContractCase[] = [
  {
    name: 'delivers published messages with their key, value, headers and broker metadata',
    run: ({ transport, timeoutMs }) =>
      withSubscriptions(async (open) => {
        const { topic, group } = names('deliver');
        const consumer = await record(transport, { group, topics: [topic] }, open);
        const before = Date.now() - 1_000;
        await transport.publish(topic, [
          { key: 'app-1', value: '{"n":1}', headers: { 'x-simpul-event-type': 'mpp.task.status', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } },
          { key: 'app-2', value: '{"n":2}' },
        ]);
        await eventually(() => consumer.handled.length === 2, timeoutMs, '2 deliveries');
        await consumer.subscription.stop();
        const first = consumer.handled.find((m) => m.key === 'app-1');
        assert.ok(first, 'message with key app-1 delivered');
        assert.equal(first.topic, topic);
        assert.equal(first.value, '{"n":1}');
        assert.equal(first.headers['x-simpul-event-type'], 'mpp.task.status');
        assert.equal(first.headers.traceparent, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
        assert.match(first.offset, /^\d+$/);
        assert.ok(Number.isInteger(first.partition) && first.partition >= 0);
        assert.ok(first.timestamp >= before && first.timestamp <= Date.now() + 1_000, `timestamp ${first.timestamp} is the append time`);
        assert.deepEqual(Object.keys(consumer.handled.find((m) => m.key === 'app-2')?.headers ?? { missing: true }), [], 'no headers when none were sent');
      })(),
  },
  {
    name: 'keeps the order of messages with the same key',
    run: ({ transport, timeoutMs }) =>
      withSubscriptions(async (open) => {
        const { topic, group } = names('order');
        const keys = ['app-a', 'app-b', 'app-c'];
        // Interleaved across keys and spread over several publish calls.
        for (let batch = 0; batch < 4; batch++) {
          await transport.publish(topic, keys.flatMap((key) => messages(key, 5, batch * 5 + 1)));
        }
        const consumer = await record(transport, { group, topics: [topic] }, open);
        await eventually(() => consumer.handled.length === 60, timeoutMs, '60 deliveries');
        await consumer.subscription.stop();
        for (const key of keys) {
          const received = consumer.handled.filter((m) => m.key === key);
          assert.deepEqual(
            received.map((m) => m.value),
            Array.from({ length: 20 }, (_, i) => `${key}:${i + 1}`),
            `${key} delivered in publish order`,
          );
          assert.equal(new Set(received.map((m) => m.partition)).size, 1, `${key} stays on one partition`);
          const offsets = received.map((m) => BigInt(m.offset));
          assert.ok(offsets.every((o, i) => i === 0 || o > offsets[i - 1]!), `${key} offsets increase`);
        }
      })(),
  },
  {
    name: 'resumes a restarted consumer right after its last committed message',
    run: ({ transport, timeoutMs }) =>
      withSubscriptions(async (open) => {
        const { topic, group } = names('resume');
        await transport.publish(topic, messages('app-1', 10));
        // The first consumer handles 4 messages, then its handler fails (nothing more is committed).
        const first = await record(transport, { group, topics: [topic], fail: (m) => Number(m.value.split(':')[1]) > 4 }, open);
        await eventually(() => first.handled.length === 4 && first.attempts.length > 4, timeoutMs, '4 handled and a refused 5th');
        await first.subscription.stop();
        assert.deepEqual(first.values(), ['app-1:1', 'app-1:2', 'app-1:3', 'app-1:4']);

        const second = await record(transport, { group, topics: [topic] }, open);
        await eventually(() => second.handled.length === 6, timeoutMs, '6 deliveries after restart');
        await second.subscription.stop();
        assert.deepEqual(second.values(), ['app-1:5', 'app-1:6', 'app-1:7', 'app-1:8', 'app-1:9', 'app-1:10']);
        assert.equal(second.handled[0]!.offset, first.attempts.at(-1)!.offset, 'resumes at the uncommitted message');
      })(),
  },
  {
    name: 'redelivers a message whose handler threw, before any later message of its key',
    run: ({ transport, timeoutMs }) =>
      withSubscriptions(async (open) => {
        const { topic, group } = names('redeliver');
        await transport.publish(topic, messages('app-1', 5));
        const consumer = await record(transport, { group, topics: [topic], fail: (m, attempt) => m.value === 'app-1:3' && attempt <= 2 }, open);
        await eventually(() => consumer.handled.length === 5, timeoutMs, '5 handled');
        await consumer.subscription.stop();
        assert.deepEqual(consumer.values(), ['app-1:1', 'app-1:2', 'app-1:3', 'app-1:4', 'app-1:5']);
        assert.deepEqual(
          consumer.attempts.map((m) => m.value),
          ['app-1:1', 'app-1:2', 'app-1:3', 'app-1:3', 'app-1:3', 'app-1:4', 'app-1:5'],
        );
      })(),
  },
  {
    name: 'gives every consumer group every message',
    run: ({ transport, timeoutMs }) =>
      withSubscriptions(async (open) => {
        const { topic, group } = names('groups');
        const [a, b] = await Promise.all([record(transport, { group: `${group}-a`, topics: [topic] }, open), record(transport, { group: `${group}-b`, topics: [topic] }, open)]);
        await transport.publish(topic, [...messages('app-1', 3), ...messages('app-2', 3)]);
        await eventually(() => a.handled.length === 6 && b.handled.length === 6, timeoutMs, 'both groups to get 6');
        await Promise.all([a.subscription.stop(), b.subscription.stop()]);
        assert.deepEqual(a.values().sort(), b.values().sort());
        assert.equal(new Set(a.values()).size, 6);
      })(),
  },
  {
    name: 'replays a stopped group from an offset, and from the latest position',
    run: ({ transport, timeoutMs }) =>
      withSubscriptions(async (open) => {
        const { topic, group } = names('replay-offset');
        await transport.publish(topic, messages('app-1', 5));
        const first = await record(transport, { group, topics: [topic] }, open);
        await eventually(() => first.handled.length === 5, timeoutMs, '5 handled');
        await first.subscription.stop();

        await transport.replay(group, topic, { offset: first.handled[2]!.offset });
        const again = await record(transport, { group, topics: [topic] }, open);
        await eventually(() => again.handled.length === 3, timeoutMs, '3 replayed');
        await again.subscription.stop();
        assert.deepEqual(again.values(), ['app-1:3', 'app-1:4', 'app-1:5']);

        await transport.replay(group, topic, 'latest');
        const latest = await record(transport, { group, topics: [topic] }, open);
        await transport.publish(topic, messages('app-1', 1, 6));
        await eventually(() => latest.handled.length === 1, timeoutMs, 'the new message');
        await sleep(200);
        await latest.subscription.stop();
        assert.deepEqual(latest.values(), ['app-1:6']);
      })(),
  },
  {
    name: 'replays a stopped group from a point in time, and from the earliest position',
    run: ({ transport, timeoutMs }) =>
      withSubscriptions(async (open) => {
        const { topic, group } = names('replay-time');
        await transport.publish(topic, [...messages('app-1', 2), ...messages('app-2', 2)]);
        await sleep(50);
        const since = Date.now();
        await sleep(50);
        await transport.publish(topic, [...messages('app-1', 2, 3), ...messages('app-2', 2, 3)]);
        const first = await record(transport, { group, topics: [topic] }, open);
        await eventually(() => first.handled.length === 8, timeoutMs, '8 handled');
        await first.subscription.stop();

        await transport.replay(group, topic, { timestamp: since });
        const later = await record(transport, { group, topics: [topic] }, open);
        await eventually(() => later.handled.length === 4, timeoutMs, '4 replayed');
        await sleep(200);
        await later.subscription.stop();
        assert.deepEqual(later.values().sort(), ['app-1:3', 'app-1:4', 'app-2:3', 'app-2:4']);

        await transport.replay(group, topic, 'earliest');
        const all = await record(transport, { group, topics: [topic] }, open);
        await eventually(() => all.handled.length === 8, timeoutMs, 'all 8 replayed');
        await all.subscription.stop();
        assert.deepEqual(all.values().filter((v) => v.startsWith('app-1')), ['app-1:1', 'app-1:2', 'app-1:3', 'app-1:4']);
      })(),
  },
  {
    name: 'reads a topic from the beginning without a consumer group',
    async run({ transport }) {
      const { topic } = names('read');
      assert.deepEqual(await transport.read(topic), []);
      await transport.publish(topic, [...messages('app-1', 4), ...messages('app-2', 3)]);
      const read = await transport.read(topic);
      assert.equal(read.length, 7);
      assert.deepEqual(read.filter((m) => m.key === 'app-1').map((m) => m.value), ['app-1:1', 'app-1:2', 'app-1:3', 'app-1:4']);
      assert.ok(
        read.every((m, i) => i === 0 || m.partition > read[i - 1]!.partition || BigInt(m.offset) > BigInt(read[i - 1]!.offset)),
        'ordered by partition, then offset',
      );
      assert.equal((await transport.read(topic, { limit: 3 })).length, 3);
    },
  },
  {
    name: 'publishes several topics in one call, each topic in order (when the transport offers publishTopics)',
    async run({ transport }) {
      if (!transport.publishTopics) return;
      const first = names('topics-a').topic;
      const second = names('topics-b').topic;
      await transport.publishTopics([
        { topic: first, messages: messages('app-1', 3) },
        { topic: second, messages: [{ key: 'app-1', value: 'status', headers: { 'x-test': 'yes' } }] },
      ]);
      assert.deepEqual((await transport.read(first)).map((m) => m.value), ['app-1:1', 'app-1:2', 'app-1:3']);
      const [status] = await transport.read(second);
      assert.equal(status?.value, 'status');
      assert.equal(status?.headers['x-test'], 'yes');
    },
  },
  {
    name: 'lists the topics published to',
    async run({ transport }) {
      const first = names('list-a').topic;
      const second = names('list-b').topic;
      await transport.publish(first, messages('app-1', 1));
      await transport.publish(second, messages('app-2', 1));
      const topics = await transport.listTopics();
      assert.ok(topics.includes(first) && topics.includes(second), `${first} and ${second} listed among ${topics.length} topics`);
      assert.ok(!topics.some((topic) => topic.startsWith('__')), 'no internal topics');
    },
  },
];
