import { EnvError } from '@simpul/service-kit';
import { createTransport } from './create-transport';
import { loadEventsEnv } from './events-env';
import { partitionForKey } from './embedded/log-store';

describe('createTransport', () => {
  it('uses Kafka when KAFKA_BROKERS is set, even with EVENTS_URL', () => {
    expect(createTransport(loadEventsEnv({ KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092', EVENTS_URL: 'http://127.0.0.1:4011' })).kind).toBe('kafka');
  });

  it('uses the embedded broker with EVENTS_URL', () => {
    expect(createTransport(loadEventsEnv({ EVENTS_URL: 'http://127.0.0.1:4011', KAFKA_BROKERS: '' })).kind).toBe('embedded');
  });

  it.each([
    [{}, /KAFKA_BROKERS or EVENTS_URL/],
    [{ KAFKA_BROKERS: 'kafka-1' }, /host:port/],
    [{ EVENTS_URL: 'kafka://x:1' }, /EVENTS_URL/],
  ])('rejects %j', (env, message) => {
    // Parsing refuses a malformed variable (listing it with every other problem), createTransport a missing one.
    expect(() => createTransport(loadEventsEnv(env))).toThrow(EnvError);
    expect(() => createTransport(loadEventsEnv(env))).toThrow(message);
  });
});

describe('partitionForKey', () => {
  it('is stable: changing it would move existing applications to other partitions', () => {
    expect(partitionForKey('01955992-1220-7000-8000-a1b2c3000001', 4)).toBe(partitionForKey('01955992-1220-7000-8000-a1b2c3000001', 4));
    expect([0, 1, 2, 3].map((i) => partitionForKey(`app-${i}`, 4))).toEqual([1, 2, 3, 0]);
  });

  it('spreads application ids over the partitions', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4_000; i++) counts[partitionForKey(`01955992-${i.toString(16).padStart(4, '0')}-7000-8000-a1b2c3000001`, 4)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});
