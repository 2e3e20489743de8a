import { connect, Socket } from 'node:net';
import type { ISocketFactory } from 'kafkajs';
import { startTestKafka, testKafkaTransport } from './support/kafka';
import { describeTaskWorker } from './support/task-worker-scenarios';

// The participant task worker (startTaskWorker) on real Postgres, over Kafka (librdkafka's mock
// cluster, or KAFKA_BROKERS).
jest.setTimeout(90_000);

/**
 * A switch between a client and the brokers that behaves like brokers going down: open connections
 * are reset (the client sees ECONNRESET, as when a broker process dies) and new ones are refused.
 * The worker's producer is connected when the link goes down; a connection closed without an error
 * would look alive to kafkajs, and its requests would time out forever.
 */
function resettingBrokerLink() {
  let down = false;
  const sockets = new Set<Socket>();
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    if (down) {
      const refused = new Socket();
      setImmediate(() => refused.destroy(Object.assign(new Error(`connect ECONNREFUSED ${host}:${port} (broker unreachable)`), { code: 'ECONNREFUSED' })));
      return refused;
    }
    const socket = connect({ host, port }, onConnect);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    return socket;
  };
  return {
    socketFactory,
    down() {
      down = true;
      for (const socket of sockets) socket.destroy(Object.assign(new Error('read ECONNRESET (broker went down)'), { code: 'ECONNRESET' }));
    },
    up() {
      down = false;
    },
  };
}

describeTaskWorker({
  name: 'kafka',
  deliveryTimeoutMs: 30_000,
  async start() {
    const kafka = await startTestKafka();
    return {
      transport: () => testKafkaTransport(kafka),
      outage() {
        const link = resettingBrokerLink();
        const transport = testKafkaTransport(kafka, {
          client: { socketFactory: link.socketFactory, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 } },
        });
        return { transport, down: async () => link.down(), up: async () => link.up() };
      },
      childEnv: { KAFKA_BROKERS: kafka.brokers.join(','), KAFKA_MOCK: String(kafka.mock) },
      stop: () => kafka.stop(),
    };
  },
});
