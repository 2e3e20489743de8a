import { describeOutboxAndInbox } from './support/outbox-inbox-scenarios';
import { brokerLink, startTestKafka, testKafkaTransport } from './support/kafka';

// The failure scenarios again, over Kafka (librdkafka's mock cluster, or KAFKA_BROKERS). The
// multi-relay case is transport-independent and runs on the embedded broker only.
jest.setTimeout(90_000);

describeOutboxAndInbox(
  {
    name: 'kafka',
    deliveryTimeoutMs: 30_000,
    async start() {
      const kafka = await startTestKafka();
      return {
        transport: () => testKafkaTransport(kafka),
        outage() {
          const link = brokerLink();
          const transport = testKafkaTransport(kafka, {
            client: { socketFactory: link.socketFactory, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 } },
          });
          return { transport, down: async () => link.down(), up: async () => link.up() };
        },
        childEnv: { KAFKA_BROKERS: kafka.brokers.join(','), KAFKA_MOCK: String(kafka.mock) },
        stop: () => kafka.stop(),
      };
    },
  },
  {
    only: [
      'publishes enqueued events only if the transaction commits, in outbox order per application',
      'applies an event delivered three times exactly once',
      'dead-letters poison events with the error and origin, and replays them once fixed',
      'loses nothing and applies nothing twice when consumers are killed mid-batch',
      'keeps the state change when the broker is unreachable, and publishes once it is back',
    ],
  },
);
