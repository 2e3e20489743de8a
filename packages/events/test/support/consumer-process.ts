// A consumer service in its own process, so a test can SIGKILL it mid-batch. Configured by env:
//   DATABASE_URL, EVENTS_URL or KAFKA_BROKERS (+ KAFKA_MOCK=true), GROUP_ID,
//   CRASH_AFTER_APPLIED=n  SIGKILL itself once the n-th event's transaction committed, before the
//                          offset commit (the redelivery the inbox must absorb)
//   HANG_AT_APPLIED=n      stop inside the n-th event's transaction (its effect written, not
//                          committed) and wait to be killed
// Prints one JSON line per message: {"eventId","outcome":"applied"|"duplicate"} and {"hanging":id}.
import { TASK_STATUS_TOPIC, createEventConsumer, type EventTransport } from '../../src';
import { testEmbeddedTransport } from './embedded';
import { testKafkaTransport } from './kafka';
import { applyApproval, inbox, openTestDb } from './test-schema';

const env = process.env;
const crashAfter = Number(env.CRASH_AFTER_APPLIED ?? 0);
const hangAt = Number(env.HANG_AT_APPLIED ?? 0);
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main() {
  const { db } = await openTestDb({ url: env.DATABASE_URL! });
  const transport: EventTransport = env.EVENTS_URL
    ? testEmbeddedTransport(env.EVENTS_URL)
    : testKafkaTransport({ brokers: env.KAFKA_BROKERS!.split(','), mock: env.KAFKA_MOCK === 'true' });

  let applied = 0;
  let handledEventId: string | undefined;
  // Observe each message after the consumer finished it (transaction committed, offset not yet).
  const subscribe = transport.subscribe.bind(transport);
  transport.subscribe = (options) =>
    subscribe({
      ...options,
      handle: async (message) => {
        handledEventId = undefined;
        await options.handle(message);
        const eventId = (JSON.parse(message.value) as { id: string }).id;
        const outcome = handledEventId === eventId ? 'applied' : 'duplicate';
        print({ eventId, outcome });
        if (outcome === 'applied' && ++applied === crashAfter) process.kill(process.pid, 'SIGKILL');
      },
    });

  const consumer = createEventConsumer({
    transport,
    db,
    inbox,
    groupId: env.GROUP_ID!,
    topics: [TASK_STATUS_TOPIC],
    handlers: {
      'mpp.task.status': async (event, tx) => {
        await applyApproval(tx, event, `pid ${process.pid}`);
        if (hangAt > 0 && applied + 1 === hangAt) {
          print({ hanging: event.id });
          await new Promise(() => undefined);
        }
        handledEventId = event.id;
      },
    },
  });
  await consumer.start();
  print({ ready: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
