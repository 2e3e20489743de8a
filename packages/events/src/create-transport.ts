import { EnvError, registerReadinessCheck, type Logger } from '@simpul/service-kit';
import { EmbeddedTransport } from './embedded/embedded-transport';
import type { EventsEnv } from './events-env';
import { KafkaTransport } from './kafka/kafka-transport';
import type { EventTransport } from './transport';

/**
 * The transport a service uses, from its parsed environment (eventsEnvShape): `KAFKA_BROKERS`
 * selects Kafka; otherwise `EVENTS_URL` selects the embedded broker that `npm start` runs.
 * `KAFKA_CLIENT_ID` names the client (default: the `clientId` argument).
 */
export function createTransport(env: EventsEnv, options: { clientId?: string; logger?: Logger } = {}): EventTransport {
  if (env.KAFKA_BROKERS.length > 0) {
    return withBrokerReadiness(
      new KafkaTransport({ brokers: env.KAFKA_BROKERS, clientId: env.KAFKA_CLIENT_ID || options.clientId, logger: options.logger, idempotent: env.KAFKA_IDEMPOTENT }),
    );
  }
  if (env.EVENTS_URL) return withBrokerReadiness(new EmbeddedTransport({ url: env.EVENTS_URL, logger: options.logger }));
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
