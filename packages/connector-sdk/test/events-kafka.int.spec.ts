import { DLQ_HEADERS, KafkaTransport, serializeEvent, TASK_STATUS_TOPIC, type EventTransport } from '@simpul/events';
import { startKafkaMockCluster } from '@simpul/testing';
import { FileDecisionStore, startParticipantConnector, type ParticipantConnector, type TaskHandler } from '../src';
import { taskAssignedEvent } from '../src/testing';
import { eventually, tempDir } from './support/helpers';

// Events mode against a Kafka-protocol broker: librdkafka's mock cluster (kcat), or the cluster in
// KAFKA_BROKERS. A new consumer group waits ~3 s for its first assignment on the mock, so the
// session timeout is longer than that; each test uses its own participant code (fresh topic and group).
jest.setTimeout(90_000);

let brokers: string[];
let stopCluster: () => Promise<void> = async () => undefined;
let client: EventTransport;
const opened: Array<() => Promise<void>> = [];
const runId = Date.now().toString(36);

beforeAll(async () => {
  const external = process.env.KAFKA_BROKERS?.split(',').filter(Boolean);
  if (external?.length) brokers = external;
  else {
    const cluster = await startKafkaMockCluster();
    brokers = cluster.brokers;
    stopCluster = () => cluster.stop();
  }
  client = kafkaTransport();
  await client.connect();
});

afterAll(async () => {
  for (const close of opened.reverse()) await close().catch(() => undefined);
  await client?.close();
  await stopCluster();
});

function kafkaTransport() {
  return new KafkaTransport({
    brokers,
    clientId: 'connector-sdk-test',
    sessionTimeoutMs: 6_000,
    rebalanceTimeoutMs: 6_000,
    heartbeatIntervalMs: 500,
    maxWaitTimeMs: 100,
    redeliveryDelayMs: 200,
    logLevel: 'nothing',
  });
}

async function connect(participant: string, decide: TaskHandler, dataDir?: string): Promise<{ connector: ParticipantConnector; calls: () => number; transport: KafkaTransport }> {
  const transport = kafkaTransport();
  let calls = 0;
  const connector = await startParticipantConnector({
    participant,
    handlers: {
      CONNECT_ELECTRICITY: async (task) => {
        calls += 1;
        return decide(task);
      },
    },
    mode: { kind: 'events', transport, backoff: { initialMs: 50, maxMs: 200 }, maxAttempts: 3 },
    store: dataDir ? await FileDecisionStore.open(dataDir) : undefined,
  });
  const close = async () => {
    await connector.stop();
    await transport.close();
  };
  opened.push(close);
  return { connector, calls: () => calls, transport };
}

const connectTask = (participant: string) =>
  taskAssignedEvent({ participant, taskKind: 'CONNECT_ELECTRICITY', inputs: { applicantNikHash: 'd'.repeat(64), businessAddress: 'Jl. Ahmad Yani 3, Dumai' } });

async function statusesOf(taskId: string) {
  return (await client.read(TASK_STATUS_TOPIC)).filter((m) => {
    try {
      return JSON.parse(m.value).data.taskId === taskId;
    } catch {
      return false;
    }
  });
}

const until = async (taskId: string, count: number) =>
  eventually(async () => {
    const found = await statusesOf(taskId);
    return found.length >= count ? found : undefined;
  }, `${count} status(es) of ${taskId}`, 45_000);

describe('events mode on Kafka', () => {
  it('decides each task once, re-sends the same status on redelivery, dead-letters poison, and keeps decisions across a restart', async () => {
    const participant = `pln-k${runId}`;
    const topic = `mpp.task.assigned.${participant}.v1`;
    const dataDir = await tempDir('kafka-store');
    opened.push(() => dataDir.remove());
    const approve: TaskHandler = async () => ({ status: 'APPROVED', documents: [{ kind: 'PLN_CUSTOMER_ID', number: '512399999999' }] });

    const first = await connect(participant, approve, dataDir.path);
    const task = connectTask(participant);
    await client.publish(topic, [
      { key: task.data.applicationId, value: serializeEvent(task) },
      { key: task.data.applicationId, value: '{"broken":' },
      { key: task.data.applicationId, value: serializeEvent(task) },
    ]);
    const statuses = await until(task.data.taskId, 2);
    expect(statuses[0]!.key).toBe(task.data.applicationId);
    expect(statuses[1]!.value).toBe(statuses[0]!.value);
    expect(JSON.parse(statuses[0]!.value)).toMatchObject({ source: participant, data: { status: 'APPROVED', documents: [{ kind: 'PLN_CUSTOMER_ID', number: '512399999999' }] } });
    expect(first.calls()).toBe(1);
    const dead = await eventually(async () => {
      const found = await client.read(`${topic}.dlq`);
      return found.length > 0 ? found : undefined;
    }, 'the dead letter', 30_000);
    expect(dead.map((m) => m.headers[DLQ_HEADERS.rule])).toEqual(['INVALID_JSON']);

    // Restart: the same group resumes after its committed offsets; the task arrives once more.
    await first.connector.stop();
    await first.transport.close();
    const second = await connect(participant, approve, dataDir.path);
    await client.publish(topic, [{ key: task.data.applicationId, value: serializeEvent(task) }]);
    const after = await until(task.data.taskId, 3);
    // Committed offsets held: the messages handled before the restart were not delivered again
    // (same key, same partition: they would have come before the new one).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await statusesOf(task.data.taskId)).toHaveLength(3);
    expect(after[2]!.value).toBe(statuses[0]!.value);
    expect(second.calls()).toBe(0);
  });
});
