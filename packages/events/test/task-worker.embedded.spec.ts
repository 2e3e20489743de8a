import { startTestBroker, tempDir, testEmbeddedTransport } from './support/embedded';
import { describeTaskWorker } from './support/task-worker-scenarios';

// The participant task worker (startTaskWorker) on real Postgres, over the embedded broker.
jest.setTimeout(60_000);

describeTaskWorker({
  name: 'embedded',
  deliveryTimeoutMs: 10_000,
  async start() {
    const dir = await tempDir('events-task-worker');
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
