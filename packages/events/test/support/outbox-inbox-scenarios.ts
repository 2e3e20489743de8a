import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@simpul/testing';
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  DLQ_HEADERS,
  OutboxRelay,
  TASK_STATUS_TOPIC,
  createEvent,
  createEventConsumer,
  dlqTopic,
  enqueue,
  eventHeaders,
  replayDlq,
  serializeEvent,
  uuidv7,
  type EventConsumer,
  type EventOf,
  type EventTransport,
  type IncomingMessage,
} from '../../src';
import { spawnTs } from './embedded';
import { appliedEvents, applicationProgress, applyApproval, inbox, openTestDb, outbox, truncateTestSchema, type TestDb } from './test-schema';

/** A broker started fresh for one test, reachable by clients in this process and in child processes. */
export interface TestBroker {
  /** A new client of the broker. */
  transport(): EventTransport;
  /** A client whose connection to the broker can be cut and restored. */
  outage(): { transport: EventTransport; down(): Promise<void>; up(): Promise<void> };
  /** Environment telling test/support/consumer-process.ts how to reach the broker. */
  childEnv: Record<string, string>;
  stop(): Promise<void>;
}

export interface BrokerHarness {
  name: string;
  start(): Promise<TestBroker>;
  /** How long a consumer may take to receive what was published (Kafka group joins take seconds). */
  deliveryTimeoutMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export function approval(applicationId: string, taskId = uuidv7(), participant = 'licensing'): EventOf<'mpp.task.status'> {
  return createEvent(
    'mpp.task.status',
    { taskId, applicationId, participant, status: 'APPROVED', documents: [{ kind: 'NIB', number: '9120304567891' }] },
    { source: participant, subject: applicationId, correlationId: applicationId },
  );
}

function asMessage(event: EventOf<'mpp.task.status'>) {
  return { key: event.data.applicationId, value: serializeEvent(event), headers: eventHeaders(event) };
}

/** Transactional outbox, relay, idempotent inbox and DLQ, against real Postgres and one broker kind. */
export function describeOutboxAndInbox(harness: BrokerHarness, options: { only?: string[]; database?: 'postgres' | 'pglite' } = {}): void {
  let database: TestDatabase | undefined;
  let db: TestDb;
  let closeDb: () => Promise<void>;
  let broker: TestBroker;
  let transport: EventTransport;
  let cleanups: Array<() => unknown>;
  const defer = (cleanup: () => unknown) => cleanups.push(cleanup);
  const timeout = harness.deliveryTimeoutMs;
  const scenario = (name: string, fn: () => Promise<void>) => {
    if (!options.only || options.only.includes(name)) it(name, fn);
  };

  beforeAll(async () => {
    // PGlite is what a service uses under `npm start` (no Postgres server); the default is real Postgres.
    if (options.database !== 'pglite') database = await createTestDatabase('events_outbox');
    const opened = await openTestDb(database ? { url: database.url } : { dataDir: 'memory://' });
    db = opened.db;
    closeDb = opened.close;
  });

  afterAll(async () => {
    await closeDb?.();
    // pg's Pool.end() resolves before its idle connections finished closing; DROP DATABASE … WITH
    // (FORCE) would terminate them and surface as an unhandled error. Let them close first.
    await sleep(250);
    await database?.drop();
  });

  beforeEach(async () => {
    cleanups = [];
    await truncateTestSchema(db);
    broker = await harness.start();
    defer(() => broker.stop());
    transport = broker.transport();
    defer(() => transport.close());
  });

  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  });

  const unpublished = async () => (await db.select({ id: outbox.id }).from(outbox).where(sql`${outbox.publishedAt} is null`)).length;
  const approvalsOf = async (applicationId: string) =>
    (await db.select().from(applicationProgress).where(eq(applicationProgress.applicationId, applicationId)))[0]?.approvals ?? 0;
  const timesApplied = async (eventIds: string[]) => {
    const rows = await db.select({ eventId: appliedEvents.eventId }).from(appliedEvents).where(inArray(appliedEvents.eventId, eventIds));
    return new Map(eventIds.map((id) => [id, rows.filter((r) => r.eventId === id).length]));
  };
  const startConsumer = async (consumer: EventConsumer) => {
    await consumer.start();
    defer(() => consumer.stop());
    return consumer;
  };

  scenario('publishes enqueued events only if the transaction commits, in outbox order per application', async () => {
    const [appA, appB] = [uuidv7(), uuidv7()];
    const rolledBack = approval(appA);
    await expect(
      db.transaction(async (tx) => {
        await enqueue(tx, outbox, [rolledBack]);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');

    const events = Array.from({ length: 10 }, (_, i) => approval(i % 2 === 0 ? appA : appB));
    for (const event of events) await db.transaction((tx) => enqueue(tx, outbox, [event]));
    expect(await unpublished()).toBe(10);

    const relay = new OutboxRelay({ db, outbox, transport, pollIntervalMs: 50 });
    relay.start();
    defer(() => relay.stop());
    relay.notify();
    await eventually(async () => (await unpublished()) === 0, 'the relay to publish all rows', timeout);
    await relay.stop();

    const published = (await transport.read(TASK_STATUS_TOPIC)).map((m) => ({ ...m, event: JSON.parse(m.value) as { id: string } }));
    for (const app of [appA, appB]) {
      expect(published.filter((m) => m.key === app).map((m) => m.event.id)).toEqual(events.filter((e) => e.data.applicationId === app).map((e) => e.id));
    }
    expect(published.map((m) => m.event.id)).not.toContain(rolledBack.id);
    expect(published[0]!.headers).toMatchObject({ 'x-simpul-event-type': 'mpp.task.status.v1', traceparent: expect.stringMatching(/^00-/) });
  });

  scenario('applies an event delivered three times exactly once', async () => {
    const app = uuidv7();
    const event = approval(app);
    const next = approval(app);
    await startConsumer(
      createEventConsumer({
        transport,
        db,
        inbox,
        groupId: `applications-${uuidv7()}`,
        topics: [TASK_STATUS_TOPIC],
        handlers: { 'mpp.task.status': (e, tx) => applyApproval(tx, e, 'test') },
      }),
    );
    // As a relay that crashed before marking its rows published would: the same event, again.
    for (let i = 0; i < 3; i++) await transport.publish(TASK_STATUS_TOPIC, [asMessage(event)]);
    await transport.publish(TASK_STATUS_TOPIC, [asMessage(next)]);

    await eventually(async () => (await timesApplied([next.id])).get(next.id) === 1, 'the following event to be applied', timeout);
    expect(await timesApplied([event.id, next.id])).toEqual(new Map([[event.id, 1], [next.id, 1]]));
    expect(await approvalsOf(app)).toBe(2);
    expect(await db.$count(inbox, inArray(inbox.eventId, [event.id, next.id]))).toBe(2);
  });

  scenario('dead-letters poison events with the error and origin, and replays them once fixed', async () => {
    const app = uuidv7();
    const [before, poison, after] = [approval(app), approval(app), approval(app)];
    const unknownParticipant = approval(app, uuidv7(), 'pln');
    const invalid = { ...approval(app), data: { ...approval(app).data, status: 'REJECTED' } }; // no reason
    let registryDown = true;
    const groupId = `applications-${uuidv7()}`;
    await startConsumer(
      createEventConsumer({
        transport,
        db,
        inbox,
        groupId,
        topics: [TASK_STATUS_TOPIC],
        maxAttempts: 3,
        backoff: { initialMs: 20, maxMs: 100 },
        isKnownParticipant: (code) => ['licensing', 'tax', 'applications'].includes(code),
        handlers: {
          'mpp.task.status': async (event, tx) => {
            if (event.id === poison.id && registryDown) throw new Error('NPWP registry rejected the request');
            await applyApproval(tx, event, 'test');
          },
        },
      }),
    );
    // Watch the DLQ through a subscription (cheaper than re-reading the topic on every check).
    const dlq = dlqTopic(TASK_STATUS_TOPIC);
    const deadLetters: IncomingMessage[] = [];
    const watcher = await transport.subscribe({ groupId: `dlq-watch-${uuidv7()}`, topics: [dlq], handle: async (m) => void deadLetters.push(m) });
    defer(() => watcher.stop());
    const ourDeadLetters = () => deadLetters.filter((m) => m.key === app);

    await transport.publish(TASK_STATUS_TOPIC, [
      asMessage(before),
      asMessage(poison),
      { key: app, value: '{"id": not json' },
      { key: app, value: JSON.stringify(invalid) },
      asMessage(unknownParticipant),
      asMessage(after),
    ]);

    await eventually(async () => ourDeadLetters().length === 4 && (await timesApplied([after.id])).get(after.id) === 1, '4 dead letters and the last event applied', timeout);
    // The poison event did not block the events behind it.
    expect(await timesApplied([before.id, poison.id, after.id])).toEqual(new Map([[before.id, 1], [poison.id, 0], [after.id, 1]]));

    const origin = (await transport.read(TASK_STATUS_TOPIC)).find((m) => m.value === serializeEvent(poison))!;
    const byRule = new Map(ourDeadLetters().map((m) => [m.headers[DLQ_HEADERS.rule], m]));
    expect([...byRule.keys()].sort()).toEqual(['HANDLER_FAILED', 'INVALID_EVENT', 'INVALID_JSON', 'UNKNOWN_PARTICIPANT']);
    expect(byRule.get('HANDLER_FAILED')).toMatchObject({
      value: serializeEvent(poison),
      headers: {
        [DLQ_HEADERS.error]: 'Error: NPWP registry rejected the request',
        [DLQ_HEADERS.attempts]: '3',
        [DLQ_HEADERS.consumerGroup]: groupId,
        [DLQ_HEADERS.originTopic]: TASK_STATUS_TOPIC,
        [DLQ_HEADERS.originPartition]: String(origin.partition),
        [DLQ_HEADERS.originOffset]: origin.offset,
        'x-simpul-event-id': poison.id,
      },
    });
    expect(byRule.get('INVALID_EVENT')!.headers[DLQ_HEADERS.error]).toMatch(/reason/);
    expect(byRule.get('INVALID_EVENT')!.headers[DLQ_HEADERS.attempts]).toBe('0');
    expect(byRule.get('UNKNOWN_PARTICIPANT')!.headers[DLQ_HEADERS.error]).toMatch(/pln/);

    // The registry is back: replay what failed in the handler.
    registryDown = false;
    const ours = (d: { message: IncomingMessage }) => d.message.key === app;
    expect(await replayDlq(transport, dlq, { filter: (d) => ours(d) && d.rule === 'HANDLER_FAILED' })).toMatchObject({ replayed: 1 });
    await eventually(async () => (await timesApplied([poison.id])).get(poison.id) === 1, 'the replayed event to be applied', timeout);
    expect(await approvalsOf(app)).toBe(3);

    // Replaying everything again is harmless: the applied event is skipped by the inbox, the
    // still-invalid messages return to the DLQ.
    expect(await replayDlq(transport, dlq, { filter: ours })).toMatchObject({ replayed: 4 });
    await eventually(() => ourDeadLetters().length === 7, 'the invalid messages back in the DLQ', timeout);
    expect(await timesApplied([poison.id])).toEqual(new Map([[poison.id, 1]]));
    expect(await approvalsOf(app)).toBe(3);
  });

  scenario('loses nothing and applies nothing twice when consumers are killed mid-batch', async () => {
    const apps = [uuidv7(), uuidv7(), uuidv7()];
    const events = Array.from({ length: 18 }, (_, i) => approval(apps[i % 3]!));
    for (const event of events) await db.transaction((tx) => enqueue(tx, outbox, [event]));
    const relay = new OutboxRelay({ db, outbox, transport, pollIntervalMs: 50 });
    relay.start();
    defer(() => relay.stop());
    await eventually(async () => (await unpublished()) === 0, 'all events published', timeout);

    const groupId = `applications-${uuidv7()}`;
    const runChild = async (env: Record<string, string>) => {
      if (!database) throw new Error('consumer processes need a Postgres server');
      const child = spawnTs(join(__dirname, 'consumer-process.ts'), { ...broker.childEnv, DATABASE_URL: database.url, GROUP_ID: groupId, ...env });
      defer(() => child.child.kill('SIGKILL'));
      return child;
    };
    const lines = (output: string) =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { eventId?: string; outcome?: string; hanging?: string });

    // 1. Killed right after committing its 5th event, before committing the offset.
    const first = await runChild({ CRASH_AFTER_APPLIED: '5' });
    await first.exited;
    if (first.child.signalCode !== 'SIGKILL') throw new Error(`the consumer process did not crash as planned:\n${first.output()}`);
    const firstApplied = lines(first.output()).filter((l) => l.outcome === 'applied');
    expect(firstApplied).toHaveLength(5);
    const committedButNotAcknowledged = firstApplied.at(-1)!.eventId!;

    // 2. Killed in the middle of its 4th event's transaction (effect written, not committed).
    const second = await runChild({ HANG_AT_APPLIED: '4' });
    await eventually(() => lines(second.output()).some((l) => l.hanging), 'the second consumer to hang mid-transaction', timeout + 15_000);
    second.child.kill('SIGKILL');
    await second.exited;
    const hanging = lines(second.output()).find((l) => l.hanging)!.hanging!;
    expect((await timesApplied([hanging])).get(hanging)).toBe(0);

    // 3. A consumer that runs to the end.
    const third = await runChild({});
    const ids = events.map((e) => e.id);
    await eventually(async () => (await db.$count(appliedEvents, inArray(appliedEvents.eventId, ids))) >= 18, 'every event applied', timeout + 15_000);
    await sleep(300);
    third.child.kill('SIGTERM');

    // The event whose offset the first consumer never committed was delivered again, and skipped.
    const redelivered = [...lines(second.output()), ...lines(third.output())].filter((l) => l.eventId === committedButNotAcknowledged);
    expect(redelivered.map((l) => l.outcome)).toEqual(['duplicate']);
    const applied = await timesApplied(ids);
    expect([...applied.values()].every((times) => times === 1)).toBe(true);
    for (const app of apps) expect(await approvalsOf(app)).toBe(6);
    expect(await db.$count(inbox, and(eq(inbox.consumerGroup, groupId), inArray(inbox.eventId, ids)))).toBe(18);
  });

  scenario('keeps the state change when the broker is unreachable, and publishes once it is back', async () => {
    const link = broker.outage();
    defer(() => link.transport.close());
    const relay = new OutboxRelay({ db, outbox, transport: link.transport, pollIntervalMs: 50, backoff: { initialMs: 50, maxMs: 400 } });
    relay.start();
    defer(() => relay.stop());
    await link.down();

    const [appA, appB] = [uuidv7(), uuidv7()];
    const events = Array.from({ length: 6 }, (_, i) => approval(i % 2 ? appA : appB));
    for (const event of events) {
      // The submission's own transaction succeeds: nothing here talks to the broker.
      await db.transaction(async (tx) => {
        await tx.insert(applicationProgress).values({ applicationId: event.data.applicationId }).onConflictDoNothing();
        await enqueue(tx, outbox, [event]);
      });
      relay.notify();
    }
    await eventually(
      async () => (await db.$count(outbox, and(sql`${outbox.publishedAt} is null`, sql`${outbox.publishAttempts} >= 2`))) > 0,
      'failed publish attempts to be recorded',
      timeout,
    );
    expect(await unpublished()).toBe(6);
    expect((await db.select({ lastError: outbox.lastError }).from(outbox).limit(1))[0]?.lastError).toBeTruthy();

    await link.up();
    await eventually(async () => (await unpublished()) === 0, 'the relay to publish after the outage', timeout + 10_000);
    const published = (await transport.read(TASK_STATUS_TOPIC)).map((m) => ({ key: m.key, id: (JSON.parse(m.value) as { id: string }).id }));
    for (const app of [appA, appB]) {
      const firstSeen = [...new Set(published.filter((m) => m.key === app).map((m) => m.id))];
      expect(firstSeen).toEqual(events.filter((e) => e.data.applicationId === app).map((e) => e.id));
    }
  });

  scenario('polls an idle outbox with one plain read, no transaction, and still publishes rows nobody notified it of', async () => {
    let transactions = 0;
    const counting = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== 'transaction') return Reflect.get(target, property, receiver);
        return (...args: Parameters<TestDb['transaction']>) => {
          transactions += 1;
          return target.transaction(...args);
        };
      },
    });
    const relay = new OutboxRelay({ db: counting, outbox, transport, pollIntervalMs: 10 });
    relay.start();
    defer(() => relay.stop());
    // The first round claims (nothing); the next twenty polls of the timer find no row and claim nothing.
    await sleep(250);
    expect(transactions).toBe(1);

    // Enqueued by another process (no notify): the timer's poll finds it and the relay claims and publishes it.
    const event = approval(uuidv7());
    await db.transaction((tx) => enqueue(tx, outbox, [event]));
    await eventually(async () => (await unpublished()) === 0, 'the polled row published', timeout);
    expect(transactions).toBeGreaterThan(1);
    expect((await transport.read(TASK_STATUS_TOPIC)).map((m) => (JSON.parse(m.value) as { id: string }).id)).toEqual([event.id]);
  });

  scenario('lets several relay instances share one outbox without reordering an application', async () => {
    const apps = Array.from({ length: 4 }, () => uuidv7());
    const relays = [0, 1, 2].map(() => new OutboxRelay({ db, outbox, transport, pollIntervalMs: 20, batchSize: 7 }));
    for (const relay of relays) {
      relay.start();
      defer(() => relay.stop());
    }
    const events = Array.from({ length: 60 }, (_, i) => approval(apps[i % 4]!));
    for (const event of events) {
      await db.transaction((tx) => enqueue(tx, outbox, [event]));
      relays[event.id.charCodeAt(35) % 3]!.notify();
    }
    await eventually(async () => (await unpublished()) === 0, 'all rows published', timeout);
    const published = (await transport.read(TASK_STATUS_TOPIC)).map((m) => ({ key: m.key, id: (JSON.parse(m.value) as { id: string }).id }));
    expect(published).toHaveLength(60);
    for (const app of apps) {
      expect(published.filter((m) => m.key === app).map((m) => m.id)).toEqual(events.filter((e) => e.data.applicationId === app).map((e) => e.id));
    }
  });
}
