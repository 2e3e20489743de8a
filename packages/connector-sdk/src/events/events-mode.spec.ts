import {
  createEvent,
  DLQ_HEADERS,
  PermanentEventError,
  REPLAY_FOR_GROUP_HEADER,
  serializeEvent,
  uuidv7,
  type EventTransport,
  type IncomingMessage,
  type OutgoingMessage,
  type TaskDecision,
} from '@simpul/events';
import { InMemoryDecisionStore } from '../store/decision-store';
import { TaskDecider, type TaskHandler } from '../task-decider';
import { taskAssignedEvent } from '../testing/simpul-stand-ins';
import { EventsMode, statusEventOf } from './events-mode';

/** Records what is published; `failPublishes` makes the next publishes to the status topic throw. */
class RecordingTransport implements EventTransport {
  readonly kind = 'embedded' as const;
  readonly published: Array<{ topic: string } & OutgoingMessage> = [];
  failPublishes = 0;
  async connect() {}
  async publish(topic: string, messages: OutgoingMessage[]) {
    if (topic === 'mpp.task.status.v1' && this.failPublishes > 0) {
      this.failPublishes -= 1;
      throw new Error('broker unavailable');
    }
    this.published.push(...messages.map((m) => ({ topic, ...m })));
  }
  async subscribe(): Promise<never> {
    throw new Error('not used');
  }
  async replay() {}
  async listTopics() {
    return [];
  }
  async read() {
    return [];
  }
  async close() {}
}

let offset = 0;
const message = (value: string, headers: Record<string, string> = {}): IncomingMessage => ({
  topic: 'mpp.task.assigned.pln.v1',
  partition: 0,
  offset: String(offset++),
  key: 'k',
  value,
  headers,
  timestamp: Date.now(),
});

function setup(handler: TaskHandler = async () => ({ status: 'APPROVED', documents: [{ kind: 'PLN_CUSTOMER_ID', number: '512345678901' }] })) {
  const transport = new RecordingTransport();
  const store = new InMemoryDecisionStore();
  const decider = new TaskDecider({ participant: 'pln', handlers: { CONNECT_ELECTRICITY: handler }, store, now: () => new Date() });
  const mode = new EventsMode({ participant: 'pln', decider, transport, maxAttempts: 3, backoff: { initialMs: 1, maxMs: 2 } });
  return { transport, store, mode };
}

const connectTask = () => taskAssignedEvent({ participant: 'pln', taskKind: 'CONNECT_ELECTRICITY', inputs: { businessAddress: 'Jl. Sudirman 1' } });

describe('EventsMode.process', () => {
  it('publishes the decision as mpp.task.status.v1, keyed by the application, with the event headers', async () => {
    const { transport, mode, store } = setup();
    const event = connectTask();
    const outcome = await mode.process(message(serializeEvent(event)));
    expect(outcome).toMatchObject({ kind: 'reported', taskId: event.data.taskId, status: 'APPROVED', replayed: false });
    const [status] = transport.published;
    expect(status).toMatchObject({ topic: 'mpp.task.status.v1', key: event.data.applicationId });
    const published = JSON.parse(status!.value);
    expect(published).toMatchObject({
      type: 'mpp.task.status',
      source: 'pln',
      subject: event.data.applicationId,
      correlationId: event.correlationId,
      traceparent: event.traceparent,
      data: { taskId: event.data.taskId, participant: 'pln', status: 'APPROVED', documents: [{ kind: 'PLN_CUSTOMER_ID', number: '512345678901' }] },
    });
    expect(status!.headers).toEqual({ 'x-simpul-event-id': published.id, 'x-simpul-event-type': 'mpp.task.status.v1', traceparent: event.traceparent });
    expect(published.id).toBe((await store.get(event.data.taskId))!.reportEventId);
  });

  it('re-publishes the identical status event for a redelivered task, without deciding again', async () => {
    const handler = jest.fn(async (): Promise<TaskDecision> => ({ status: 'REJECTED', reason: 'address already connected' }));
    const { transport, mode, store } = setup(handler);
    const event = connectTask();
    await mode.process(message(serializeEvent(event)));
    await expect(mode.process(message(serializeEvent(event)))).resolves.toMatchObject({ kind: 'reported', replayed: true });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(transport.published).toHaveLength(2);
    expect(transport.published[1]!.value).toBe(transport.published[0]!.value);
    expect(serializeEvent(statusEventOf((await store.get(event.data.taskId))!))).toBe(transport.published[0]!.value);
  });

  it('retries a failing publish with backoff, deciding once', async () => {
    const handler = jest.fn(async (): Promise<TaskDecision> => ({ status: 'APPROVED' }));
    const { transport, mode } = setup(handler);
    transport.failPublishes = 2;
    await expect(mode.process(message(serializeEvent(connectTask())))).resolves.toMatchObject({ kind: 'reported', replayed: true });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(transport.published.map((p) => p.topic)).toEqual(['mpp.task.status.v1']);
  });

  it('dead-letters after the last attempt, with the error and where the message came from', async () => {
    const { transport, mode } = setup(async () => {
      throw new Error('billing system down');
    });
    const incoming = message(serializeEvent(connectTask()));
    await expect(mode.process(incoming)).resolves.toMatchObject({ kind: 'dead-lettered', rule: 'HANDLER_FAILED' });
    const [dead] = transport.published;
    expect(dead).toMatchObject({ topic: 'mpp.task.assigned.pln.v1.dlq', value: incoming.value });
    expect(dead!.headers).toMatchObject({
      [DLQ_HEADERS.rule]: 'HANDLER_FAILED',
      [DLQ_HEADERS.attempts]: '3',
      [DLQ_HEADERS.consumerGroup]: 'pln.tasks',
      [DLQ_HEADERS.originOffset]: incoming.offset,
    });
    expect(dead!.headers![DLQ_HEADERS.error]).toContain('billing system down');
  });

  it.each([
    ['not JSON', () => '{"id":', 'INVALID_JSON'],
    ['not an envelope', () => JSON.stringify({ hello: 'world' }), 'INVALID_ENVELOPE'],
    ['an event that breaks its contract', () => serializeEvent({ ...connectTask(), type: 'mpp.task.status' } as never), 'INVALID_EVENT'],
    ['another event type', () => serializeEvent(createEvent('mpp.task.status', { taskId: uuidv7(), applicationId: uuidv7(), participant: 'pln', status: 'RECEIVED' }, { source: 'pln', subject: uuidv7(), correlationId: uuidv7() })), 'UNHANDLED_EVENT_TYPE'],
    ['another participant’s task', () => serializeEvent(taskAssignedEvent({ participant: 'bank-bpd', taskKind: 'CONNECT_ELECTRICITY', inputs: {} })), 'PERMANENT_FAILURE'],
    ['a task kind without handler', () => serializeEvent(taskAssignedEvent({ participant: 'pln', taskKind: 'READ_METER', inputs: {} })), 'PERMANENT_FAILURE'],
  ])('dead-letters at once: %s', async (_name, value, rule) => {
    const handler = jest.fn(async (): Promise<TaskDecision> => ({ status: 'APPROVED' }));
    const { transport, mode } = setup(handler);
    await expect(mode.process(message(value()))).resolves.toMatchObject({ kind: 'dead-lettered', rule });
    expect(transport.published.map((p) => [p.topic, p.headers?.[DLQ_HEADERS.attempts]])).toEqual([['mpp.task.assigned.pln.v1.dlq', '0']]);
    expect(handler).not.toHaveBeenCalled();
  });

  it('dead-letters a permanent handler failure on the first attempt', async () => {
    const { transport, mode } = setup(async () => {
      throw new PermanentEventError('address outside PLN UID Riau');
    });
    await expect(mode.process(message(serializeEvent(connectTask())))).resolves.toMatchObject({ kind: 'dead-lettered', rule: 'PERMANENT_FAILURE' });
    expect(transport.published[0]!.headers![DLQ_HEADERS.attempts]).toBe('1');
  });

  it('skips a DLQ replay meant for another consumer group, and takes one meant for its own', async () => {
    const { transport, mode } = setup();
    const value = serializeEvent(connectTask());
    await expect(mode.process(message(value, { [REPLAY_FOR_GROUP_HEADER]: 'audit.tasks' }))).resolves.toEqual({ kind: 'skipped' });
    expect(transport.published).toHaveLength(0);
    await expect(mode.process(message(value, { [REPLAY_FOR_GROUP_HEADER]: 'pln.tasks' }))).resolves.toMatchObject({ kind: 'reported' });
  });

  it('stops retrying when stopped, leaving the message uncommitted (process rejects)', async () => {
    const transport = new RecordingTransport();
    const decider = new TaskDecider({
      participant: 'pln',
      handlers: {
        CONNECT_ELECTRICITY: async () => {
          throw new Error('still failing');
        },
      },
      store: new InMemoryDecisionStore(),
      now: () => new Date(),
    });
    const mode = new EventsMode({ participant: 'pln', decider, transport, maxAttempts: 5, backoff: { initialMs: 60_000 } });
    const processing = mode.process(message(serializeEvent(connectTask())));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await mode.stop();
    await expect(processing).rejects.toThrow('stopping');
    expect(transport.published).toHaveLength(0);
  });
});
