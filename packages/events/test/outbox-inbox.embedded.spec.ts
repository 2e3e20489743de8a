import { describeOutboxAndInbox } from './support/outbox-inbox-scenarios';
import { startTestBroker, tempDir, testEmbeddedTransport } from './support/embedded';

// Outbox, relay, inbox and DLQ on real Postgres, over the embedded broker (`npm start`'s transport).
jest.setTimeout(60_000);

describeOutboxAndInbox({
  name: 'embedded',
  deliveryTimeoutMs: 10_000,
  async start() {
    const dir = await tempDir('events-outbox');
    const broker = await startTestBroker(dir.path);
    return {
      transport: () => testEmbeddedTransport(broker.url),
      // The broker itself goes away and comes back on the same port, with its data.
      outage: () => ({ transport: testEmbeddedTransport(broker.url, { requestTimeoutMs: 1_000 }), down: () => broker.stop(), up: () => broker.start() }),
      childEnv: { EVENTS_URL: broker.url },
      async stop() {
        await broker.stop();
        await dir.remove();
      },
    };
  },
});
