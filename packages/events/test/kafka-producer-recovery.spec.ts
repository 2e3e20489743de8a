import { connect, type Socket } from 'node:net';
import type { ISocketFactory } from 'kafkajs';
import { startTestKafka, testKafkaTransport } from './support/kafka';

// A network partition that drops packets without closing anything: the producer's connections stay
// open but nothing comes back, so every request times out. When the network heals, new connections
// work again — the producer must dial again instead of waiting on the dead ones forever (the outbox
// keeps the events meanwhile; this is about them going out once the broker is reachable).
jest.setTimeout(90_000);

/** Sockets that can be silenced: data sent on a silenced socket is swallowed, nothing ever answers. */
function partitionableNetwork() {
  let partitioned = false;
  const silenced = new Set<Socket>();
  const open = new Set<Socket>();
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = connect({ host, port }, onConnect);
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    (socket as unknown as { write: (...args: unknown[]) => boolean }).write = (...args: unknown[]) => {
      if (partitioned || silenced.has(socket)) {
        const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }
      return write(...args);
    };
    return socket;
  };
  return {
    socketFactory,
    partition() {
      partitioned = true;
      for (const socket of open) silenced.add(socket);
    },
    /** New connections work again; the ones open during the partition stay dead. */
    heal() {
      partitioned = false;
    },
  };
}

it('publishes again once a silent partition heals, on fresh connections', async () => {
  const kafka = await startTestKafka();
  const network = partitionableNetwork();
  const transport = testKafkaTransport(kafka, {
    client: { socketFactory: network.socketFactory, requestTimeout: 1_000, retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 300 } },
  });
  const topic = `recovery.${Date.now()}`;
  try {
    await transport.connect();
    await transport.publish(topic, [{ key: 'app-1', value: 'before' }]);

    network.partition();
    await expect(transport.publish(topic, [{ key: 'app-1', value: 'during' }])).rejects.toThrow();
    network.heal();

    // What the outbox relay does: try again until it goes through.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await transport.publish(topic, [{ key: 'app-1', value: 'after' }]);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`still failing 30 s after the partition healed: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    const reader = testKafkaTransport(kafka);
    try {
      expect((await reader.read(topic)).map((m) => m.value)).toEqual(['before', 'after']);
    } finally {
      await reader.close();
    }
  } finally {
    await transport.close().catch(() => undefined);
    await kafka.stop();
  }
});
