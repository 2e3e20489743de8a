import { checkReadiness } from '@simpul/service-kit';
import { createTransport } from '../src';
import { startTestBroker, tempDir } from './support/embedded';

jest.setTimeout(30_000);

describe('embedded broker health and metrics', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let broker: Awaited<ReturnType<typeof startTestBroker>>;

  beforeAll(async () => {
    dir = await tempDir('events-observability');
    broker = await startTestBroker(dir.path);
  });
  afterAll(async () => {
    await broker.stop();
    await dir.remove();
  });

  it('answers /readyz with its log store checked, and /metrics', async () => {
    const ready = await fetch(`${broker.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { 'log-store': { status: 'ok' } } });
    const metrics = await fetch(`${broker.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('# TYPE simpul_events_consumed_total counter');
  });

  it("a service's transport puts the broker on the process's readiness, with the reason when it is down", async () => {
    const transport = createTransport({ KAFKA_BROKERS: [], KAFKA_IDEMPOTENT: false, EVENTS_URL: broker.url });
    try {
      expect((await checkReadiness()).checks.broker).toEqual({ status: 'ok', required: true });
      const down = createTransport({ KAFKA_BROKERS: [], KAFKA_IDEMPOTENT: false, EVENTS_URL: 'http://127.0.0.1:9' });
      const report = await checkReadiness();
      expect(report.status).toBe('not ready');
      expect(report.reason).toMatch(/^broker: /);
      await down.close();
      // Closed: its check is gone (the first transport's was replaced by the second's).
      expect((await checkReadiness()).checks.broker).toBeUndefined();
    } finally {
      await transport.close();
    }
  });
});
