import { EnvError, registerReadinessCheck, type Logger } from '@simpul/service-kit';
import { EmbeddedTransport } from './embedded/embedded-transport';
import { KafkaTransport } from './kafka/kafka-transport';
import type { EventTransport } from './transport';

/**
 * The transport a service uses, from its environment: `KAFKA_BROKERS` (comma-separated host:port)
 * selects Kafka; otherwise `EVENTS_URL` selects the embedded broker that `npm start` runs.
 * `KAFKA_CLIENT_ID` names the client (default: the `clientId` argument).
 */
export function createTransport(env: NodeJS.ProcessEnv = process.env, options: { clientId?: string; logger?: Logger } = {}): EventTransport {
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length > 0) {
    const bad = brokers.filter((b) => !/^[^\s:]+:\d{1,5}$/.test(b));
    if (bad.length > 0) throw new EnvError([`KAFKA_BROKERS: expected host:port[,host:port…], got ${bad.join(', ')}`]);
    return withBrokerReadiness(new KafkaTransport({ brokers, clientId: env.KAFKA_CLIENT_ID || options.clientId, logger: options.logger, idempotent: env.KAFKA_IDEMPOTENT === 'true' }));
  }
  if (env.EVENTS_URL) {
    if (!URL.canParse(env.EVENTS_URL) || !/^https?:$/.test(new URL(env.EVENTS_URL).protocol)) {
      throw new EnvError([`EVENTS_URL: expected an http(s) URL of the embedded event broker, got ${env.EVENTS_URL}`]);
    }
    return withBrokerReadiness(new EmbeddedTransport({ url: env.EVENTS_URL, logger: options.logger }));
  }
  throw new EnvError(['KAFKA_BROKERS or EVENTS_URL: set KAFKA_BROKERS (Kafka) or EVENTS_URL (the embedded broker, e.g. http://127.0.0.1:4011)']);
}

/**
 * The process's `/readyz` checks the broker while the transport is open: a metadata request (Kafka's
 * topic list, the embedded broker's), which needs a live connection but reads no messages.
 */
function withBrokerReadiness<T extends EventTransport>(transport: T): T {
  const unregister = registerReadinessCheck('broker', async () => {
    await transport.listTopics();
  });
  const close = transport.close.bind(transport);
  transport.close = async () => {
    unregister();
    await close();
  };
  return transport;
}
