import { DLQ_HEADERS, EmbeddedTransport, serializeEvent, startEmbeddedBroker, TASK_STATUS_TOPIC, type RunningEmbeddedBroker, type TaskDecision } from '@simpul/events';
import { freePort } from '@simpul/testing';
import { FileDecisionStore, startParticipantConnector, type TaskHandler } from '../src';
import { taskAssignedEvent } from '../src/testing';
import { cleanups, eventually, tempDir } from './support/helpers';

// Events mode against the embedded event broker (the one `npm start` runs), in-process.
jest.setTimeout(30_000);

const defer = cleanups();
let broker: RunningEmbeddedBroker;
let brokerDir: Awaited<ReturnType<typeof tempDir>>;
let client: EmbeddedTransport;

beforeAll(async () => {
  brokerDir = await tempDir('broker');
  broker = await startEmbeddedBroker({ dataDir: brokerDir.path, port: 0, sync: false });
  client = transport();
});
afterAll(async () => {
  await client?.close();
  await broker?.stop();
  await brokerDir?.remove();
});

function transport() {
  return new EmbeddedTransport({ url: broker.url, pollWaitMs: 200, redeliveryDelayMs: 50 });
}

// Each test uses its own participant code: its own topic and consumer group.
let counter = 0;
const participantCode = () => `pln-e${++counter}`;

async function connect(participant: string, decide: TaskHandler, options: { dataDir?: string; backoff?: { initialMs: number; maxMs: number }; maxAttempts?: number } = {}) {
  const connection = transport();
  const store = options.dataDir ? await FileDecisionStore.open(options.dataDir) : undefined;
  let calls = 0;
  const connector = await startParticipantConnector({
    participant,
    handlers: {
      CONNECT_ELECTRICITY: async (task) => {
        calls += 1;
        return decide(task);
      },
    },
    mode: { kind: 'events', transport: connection, backoff: options.backoff ?? { initialMs: 20, maxMs: 50 }, maxAttempts: options.maxAttempts ?? 3 },
    store,
  });
  defer(async () => {
    await connector.stop();
    await connection.close();
  });
  return { connector, calls: () => calls, connection };
}

const approve: TaskHandler = async () => ({ status: 'APPROVED', documents: [{ kind: 'PLN_CUSTOMER_ID', number: '512300000001' }] });
const connectTask = (participant: string) =>
  taskAssignedEvent({ participant, taskKind: 'CONNECT_ELECTRICITY', inputs: { applicantNikHash: 'c'.repeat(64), businessAddress: 'Jl. Diponegoro 12, Pekanbaru' } });

async function publishTask(participant: string, value: string, key = 'k') {
  await client.publish(`mpp.task.assigned.${participant}.v1`, [{ key, value }]);
}

async function statusesOf(taskId: string) {
  return (await client.read(TASK_STATUS_TOPIC)).filter((m) => JSON.parse(m.value).data.taskId === taskId);
}

describe('events mode on the embedded broker', () => {
  it('consumes the participant’s task topic and publishes its decision on mpp.task.status.v1', async () => {
    const participant = participantCode();
    const { connector } = await connect(participant, approve);
    expect(connector.ready).toBe(true);
    const task = connectTask(participant);
    await publishTask(participant, serializeEvent(task), task.data.applicationId);

    const [status] = await eventually(async () => ((await statusesOf(task.data.taskId)).length > 0 ? statusesOf(task.data.taskId) : undefined), 'the status');
    const event = JSON.parse(status!.value);
    expect(status!.key).toBe(task.data.applicationId);
    expect(status!.headers['x-simpul-event-id']).toBe(event.id);
    expect(event).toMatchObject({
      type: 'mpp.task.status',
      version: 1,
      source: participant,
      subject: task.data.applicationId,
      correlationId: task.correlationId,
      data: { taskId: task.data.taskId, participant, status: 'APPROVED', documents: [{ kind: 'PLN_CUSTOMER_ID', number: '512300000001' }] },
    });
    expect(event.id).toBe((await connector.decisionOf(task.data.taskId))!.reportEventId);
  });

  it('answers a task delivered again with the same status event, deciding once', async () => {
    const participant = participantCode();
    const { calls } = await connect(participant, approve);
    const task = connectTask(participant);
    await publishTask(participant, serializeEvent(task));
    await publishTask(participant, serializeEvent(task));
    const statuses = await eventually(async () => {
      const found = await statusesOf(task.data.taskId);
      return found.length === 2 ? found : undefined;
    }, 'two statuses');
    expect(statuses[1]!.value).toBe(statuses[0]!.value);
    expect(calls()).toBe(1);
  });

  it('dead-letters what it can never process and goes on with the next task', async () => {
    const participant = participantCode();
    await connect(participant, approve);
    const topic = `mpp.task.assigned.${participant}.v1`;
    await publishTask(participant, 'not an event');
    await publishTask(participant, serializeEvent(taskAssignedEvent({ participant, taskKind: 'READ_METER', inputs: {} })));
    const good = connectTask(participant);
    await publishTask(participant, serializeEvent(good));
    await eventually(async () => ((await statusesOf(good.data.taskId)).length === 1 ? true : undefined), 'the good task’s status');
    const dead = await eventually(async () => {
      const found = await client.read(`${topic}.dlq`);
      return found.length === 2 ? found : undefined;
    }, 'two dead letters');
    expect(dead.map((m) => m.headers[DLQ_HEADERS.rule])).toEqual(['INVALID_JSON', 'PERMANENT_FAILURE']);
    expect(dead[1]!.headers[DLQ_HEADERS.error]).toContain('UNKNOWN_TASK_KIND');
    expect(dead.map((m) => m.headers[DLQ_HEADERS.consumerGroup])).toEqual([`${participant}.tasks`, `${participant}.tasks`]);
  });

  it('retries a failing handler with backoff, and dead-letters it after the last attempt', async () => {
    const participant = participantCode();
    let failures = 2;
    const { calls } = await connect(participant, async () => {
      if (failures-- > 0) throw new Error('billing system busy');
      return { status: 'APPROVED' };
    });
    const recovered = connectTask(participant);
    await publishTask(participant, serializeEvent(recovered));
    await eventually(async () => ((await statusesOf(recovered.data.taskId)).length === 1 ? true : undefined), 'the status after retries');
    expect(calls()).toBe(3);

    const otherParticipant = participantCode();
    await connect(otherParticipant, async () => {
      throw new Error('billing system down');
    });
    await publishTask(otherParticipant, serializeEvent(connectTask(otherParticipant)));
    const [dead] = await eventually(async () => {
      const found = await client.read(`mpp.task.assigned.${otherParticipant}.v1.dlq`);
      return found.length > 0 ? found : undefined;
    }, 'the dead letter');
    expect(dead!.headers).toMatchObject({ [DLQ_HEADERS.rule]: 'HANDLER_FAILED', [DLQ_HEADERS.attempts]: '3' });
  });

  it('commits nothing before the status is published: a task left mid-retry at stop is decided by the next connector', async () => {
    const participant = participantCode();
    const first = await connect(participant, async () => {
      throw new Error('not yet');
    }, { backoff: { initialMs: 60_000, maxMs: 60_000 }, maxAttempts: 5 });
    const task = connectTask(participant);
    await publishTask(participant, serializeEvent(task));
    await eventually(() => (first.calls() > 0 ? true : undefined), 'the first attempt');
    await first.connector.stop();
    expect(await statusesOf(task.data.taskId)).toHaveLength(0);

    const second = await connect(participant, approve);
    await eventually(async () => ((await statusesOf(task.data.taskId)).length === 1 ? true : undefined), 'the status from the second connector');
    expect(second.calls()).toBe(1);
    expect(await client.read(`mpp.task.assigned.${participant}.v1.dlq`)).toHaveLength(0);
  });

  it('remembers decisions across a restart (file store): a redelivered task gets the same status event', async () => {
    const participant = participantCode();
    const dataDir = await tempDir('events-store');
    defer(() => dataDir.remove());
    const decisions: TaskDecision[] = [{ status: 'REJECTED', reason: 'Alamat sudah tersambung untuk pelanggan lain' }, { status: 'APPROVED' }];
    const first = await connect(participant, async () => decisions.shift()!, { dataDir: dataDir.path });
    const task = connectTask(participant);
    await publishTask(participant, serializeEvent(task));
    await eventually(async () => ((await statusesOf(task.data.taskId)).length === 1 ? true : undefined), 'the first status');
    await first.connector.stop();

    const second = await connect(participant, async () => decisions.shift()!, { dataDir: dataDir.path });
    await publishTask(participant, serializeEvent(task));
    const statuses = await eventually(async () => {
      const found = await statusesOf(task.data.taskId);
      return found.length === 2 ? found : undefined;
    }, 'the re-sent status');
    expect(statuses[1]!.value).toBe(statuses[0]!.value);
    expect(JSON.parse(statuses[1]!.value).data).toMatchObject({ status: 'REJECTED', reason: 'Alamat sudah tersambung untuk pelanggan lain' });
    expect(second.calls()).toBe(0);
  });

  it('connects from the environment (EVENTS_URL) and serves /healthz and /readyz', async () => {
    const participant = participantCode();
    const port = await freePort();
    const connector = await startParticipantConnector({
      participant,
      handlers: { CONNECT_ELECTRICITY: approve },
      mode: { kind: 'events', env: { EVENTS_URL: broker.url }, health: { port } },
    });
    defer(() => connector.stop());
    expect(connector.url).toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(`${connector.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${connector.url}/readyz`)).json()).toEqual({ status: 'ready' });
    const task = connectTask(participant);
    await publishTask(participant, serializeEvent(task));
    await eventually(async () => ((await statusesOf(task.data.taskId)).length === 1 ? true : undefined), 'the status');
    await connector.stop();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('fails to start without KAFKA_BROKERS or EVENTS_URL, leaving nothing open', async () => {
    const port = await freePort();
    await expect(
      startParticipantConnector({ participant: 'pln', handlers: { CONNECT_ELECTRICITY: approve }, mode: { kind: 'events', env: {}, health: { port } } }),
    ).rejects.toThrow(/KAFKA_BROKERS or EVENTS_URL/);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
