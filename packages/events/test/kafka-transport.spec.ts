import { type EventTransport } from '../src';
import { transportContractCases } from '../src/testing';
import { startTestKafka, testKafkaTransport } from './support/kafka';

// The transport contract against a Kafka-protocol broker: librdkafka's mock cluster, or the real
// cluster named by KAFKA_BROKERS. Consumer group joins dominate the time (the mock waits 3 s before a
// group's first assignment), so the cases — independent topics and groups — run concurrently.
jest.setTimeout(90_000);

let kafka: Awaited<ReturnType<typeof startTestKafka>>;
let transport: EventTransport;
const outcomes = new Map<string, Promise<void>>();

beforeAll(async () => {
  kafka = await startTestKafka();
  transport = testKafkaTransport(kafka);
  await transport.connect();
  for (const contractCase of transportContractCases) {
    const outcome = contractCase.run({ transport, timeoutMs: 30_000 });
    outcome.catch(() => undefined); // reported by its own test below
    outcomes.set(contractCase.name, outcome);
  }
});

afterAll(async () => {
  await Promise.allSettled(outcomes.values());
  await transport?.close();
  await kafka?.stop();
});

describe('KafkaTransport contract', () => {
  it.each(transportContractCases.map((c) => [c.name] as const))('%s', (name) => outcomes.get(name));
});
