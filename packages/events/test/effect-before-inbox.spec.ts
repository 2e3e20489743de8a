import { createTestDatabase, type TestDatabase } from '@simpul/testing';
import { createEvent, createEventConsumer, serializeEvent, taskAssignedTopic, uuidv7, type EventTransport, type IncomingMessage } from '../src';
import { inbox, openTestDb, type TestDb } from './support/test-schema';

// `effect: 'before-inbox'`: the consumer mode for effects outside the database (a webhook POST).
// The handler must run with no transaction open, and the event counts as processed only once it succeeded.

const unusedTransport = {} as EventTransport;
let database: TestDatabase;
let db: TestDb;
let close: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase('events_before_inbox');
  ({ db, close } = await openTestDb({ url: database.url }));
});

afterAll(async () => {
  await close?.();
  await database?.drop();
});

function assignedMessage(offset: number): IncomingMessage {
  const applicationId = uuidv7();
  const event = createEvent(
    'mpp.task.assigned',
    {
      taskId: uuidv7(),
      applicationId,
      applicationType: 'BUSINESS_START',
      participant: 'bank-bpd',
      taskKind: 'OPEN_BUSINESS_ACCOUNT',
      inputs: { businessName: 'Warung' },
      dueAt: new Date().toISOString(),
      attempt: 1,
    },
    { source: 'applications', subject: applicationId, correlationId: uuidv7() },
  );
  return { topic: taskAssignedTopic('bank-bpd'), partition: 0, offset: String(offset), key: applicationId, value: serializeEvent(event), headers: {}, timestamp: Date.now() };
}

it('runs the handler outside any transaction, records the event only after it succeeded, and skips it afterwards', async () => {
  const calls: { inTransaction: boolean }[] = [];
  let fail = true;
  const consumer = createEventConsumer({
    transport: unusedTransport,
    db,
    inbox,
    groupId: 'webhooks.bank-bpd',
    topics: [taskAssignedTopic('bank-bpd')],
    effect: 'before-inbox',
    maxAttempts: 1,
    handlers: {
      'mpp.task.assigned': async (_event, handle) => {
        // A session that is inside a transaction block sees its own transaction's start time differ from the statement's clock.
        const result = (await (handle as TestDb).execute(`select (now() = statement_timestamp()) as outside`)) as unknown as { rows: { outside: boolean }[] };
        calls.push({ inTransaction: !result.rows[0]!.outside });
        if (fail) throw new Error('participant answered 503');
      },
    },
  });
  const message = assignedMessage(1);
  const eventId = JSON.parse(message.value).id as string;
  const recorded = async () => (await db.select().from(inbox)).filter((r) => r.eventId === eventId).length;

  // A failing delivery is not recorded (it would be dead-lettered; the unused transport makes that throw).
  await expect(consumer.process(message)).rejects.toThrow();
  expect(await recorded()).toBe(0);

  fail = false;
  await expect(consumer.process(message)).resolves.toEqual({ kind: 'applied' });
  expect(await recorded()).toBe(1);
  await expect(consumer.process(message)).resolves.toEqual({ kind: 'duplicate' });
  expect(calls).toEqual([{ inTransaction: false }, { inTransaction: false }]);
});
