import { EnvError, type Logger } from '@simpul/service-kit';
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
    return new KafkaTransport({ brokers: env.KAFKA_BROKERS, clientId: env.KAFKA_CLIENT_ID || options.clientId, logger: options.logger, idempotent: env.KAFKA_IDEMPOTENT });
  }
  if (env.EVENTS_URL) return new EmbeddedTransport({ url: env.EVENTS_URL, logger: options.logger });
  throw new EnvError(['KAFKA_BROKERS or EVENTS_URL: set KAFKA_BROKERS (Kafka) or EVENTS_URL (the embedded broker, e.g. http://127.0.0.1:4011)']);
}
