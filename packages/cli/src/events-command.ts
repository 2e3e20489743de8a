import { parseArgs } from 'node:util';

export const EVENTS_USAGE = `Usage: simpul events replay --dlq <topic>.dlq [--events-url URL]

Re-delivers the dead letters of a DLQ topic to their origin topic, for the consumer group that
failed them (other groups skip them; events already applied are skipped by the inbox).
Broker: KAFKA_BROKERS when set, else --events-url / EVENTS_URL (default http://127.0.0.1:4011,
the embedded broker of \`simpul start\`).
`;

export const DEFAULT_EVENTS_URL = 'http://127.0.0.1:4011';

interface EventsCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** `simpul events …`: operator tooling over the event transport. Exit codes: 0 done, 1 failed, 2 usage. */
export async function runEventsCommand(argv: readonly string[], io: EventsCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { dlq: { type: 'string' }, 'events-url': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.stderr.write(`simpul events: ${(error as Error).message}\n${EVENTS_USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(EVENTS_USAGE);
    return 0;
  }
  const [subcommand, ...rest] = parsed.positionals;
  const dlq = parsed.values.dlq;
  if (subcommand !== 'replay' || rest.length > 0 || !dlq || !dlq.endsWith('.dlq')) {
    io.stderr.write(`simpul events: expected \`replay --dlq <topic>.dlq\`\n${EVENTS_USAGE}`);
    return 2;
  }
  // Loaded here: the events package pulls in kafkajs and drizzle, which `simpul start` never needs.
  const { createTransport, loadEventsEnv, replayDlq } = await import('@simpul/events');
  const env = io.env.KAFKA_BROKERS
    ? io.env
    : { ...io.env, EVENTS_URL: parsed.values['events-url'] ?? io.env.EVENTS_URL ?? DEFAULT_EVENTS_URL };
  const transport = createTransport(loadEventsEnv(env), { clientId: 'simpul-cli' });
  try {
    await transport.connect();
    const { replayed, skipped } = await replayDlq(transport, dlq);
    io.stdout.write(`Replayed ${replayed} dead letter(s) from ${dlq} to their origin topic; skipped ${skipped} duplicate(s).\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`simpul events: replay of ${dlq} failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await transport.close();
  }
}
