import * as vm from 'node:vm';
import { describeOutboxAndInbox } from './support/outbox-inbox-scenarios';
import { startTestBroker, tempDir, testEmbeddedTransport } from './support/embedded';

// The same outbox and inbox on PGlite, the in-process Postgres a service runs on under `npm start`.
// (Killing consumer processes needs a database server shared between processes: Postgres only.)
jest.setTimeout(60_000);

// PGlite loads its WebAssembly through a dynamic import, which jest's VM sandbox only allows with
// --experimental-vm-modules, which `npm test` sets (a bare `npx jest` skips this file).
const vmModules = 'SourceTextModule' in vm;

const scenarios = [
  'publishes enqueued events only if the transaction commits, in outbox order per application',
  'applies an event delivered three times exactly once',
  'dead-letters poison events with the error and origin, and replays them once fixed',
  'keeps the state change when the broker is unreachable, and publishes once it is back',
  'lets several relay instances share one outbox without reordering an application',
];

if (vmModules) {
  describeOutboxAndInbox(
    {
      name: 'embedded',
      deliveryTimeoutMs: 10_000,
      async start() {
        const dir = await tempDir('events-outbox-pglite');
        const broker = await startTestBroker(dir.path);
        return {
          transport: () => testEmbeddedTransport(broker.url),
          outage: () => ({ transport: testEmbeddedTransport(broker.url, { requestTimeoutMs: 1_000 }), down: () => broker.stop(), up: () => broker.start() }),
          childEnv: { EVENTS_URL: broker.url },
          async stop() {
            await broker.stop();
            await dir.remove();
          },
        };
      },
    },
    { database: 'pglite', only: scenarios },
  );
} else {
  it.skip('runs on PGlite only with --experimental-vm-modules (npm test sets it)', () => undefined);
}
