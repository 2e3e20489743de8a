import { connect, Socket } from 'node:net';
import { startKafkaMockCluster } from '@simpul/testing';
import type { ISocketFactory } from 'kafkajs';
import { KafkaTransport, type KafkaTransportOptions } from '../../src';

/**
 * The Kafka the tests run against: the cluster in KAFKA_BROKERS when set, otherwise librdkafka's
 * mock cluster (kcat), started per test file.
 */
export async function startTestKafka(): Promise<{ brokers: string[]; mock: boolean; stop(): Promise<void> }> {
  const external = process.env.KAFKA_BROKERS?.split(',').filter(Boolean);
  if (external?.length) return { brokers: external, mock: false, stop: async () => undefined };
  const cluster = await startKafkaMockCluster();
  return { brokers: cluster.brokers, mock: true, stop: () => cluster.stop() };
}

/**
 * Short timeouts keep group joins and crash recovery quick. The mock cluster delays a new group's
 * first rebalance by 3 s and drops members whose session expires meanwhile: the session must be longer.
 */
export function testKafkaTransport(kafka: { brokers: string[]; mock: boolean }, overrides: Partial<KafkaTransportOptions> = {}): KafkaTransport {
  return new KafkaTransport({
    brokers: kafka.brokers,
    clientId: 'simpul-events-test',
    sessionTimeoutMs: 4_000,
    rebalanceTimeoutMs: 4_000,
    heartbeatIntervalMs: 400,
    maxWaitTimeMs: 100,
    redeliveryDelayMs: 200,
    timestampLookup: kafka.mock ? 'scan' : 'broker',
    logLevel: 'nothing',
    ...overrides,
  });
}

/**
 * A kafkajs socket factory with a switch: `down()` cuts every open connection and refuses new ones
 * (as an unreachable broker would), `up()` lets connections through again.
 */
export function brokerLink() {
  let down = false;
  const sockets = new Set<Socket>();
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    if (down) {
      const refused = new Socket();
      setImmediate(() => refused.destroy(Object.assign(new Error(`connect ECONNREFUSED ${host}:${port} (broker unreachable)`), { code: 'ECONNREFUSED' })));
      return refused;
    }
    const socket = connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    return socket;
  };
  return {
    socketFactory,
    down() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    up() {
      down = false;
    },
  };
}
