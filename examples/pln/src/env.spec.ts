import { EnvError } from '@simpul/service-kit';
import { loadPlnEnv } from './env';

describe('PLN environment', () => {
  it('reads the embedded broker, the health address and the data directory, with defaults', () => {
    expect(loadPlnEnv({ EVENTS_URL: 'http://127.0.0.1:4011' })).toEqual({
      EVENTS_URL: 'http://127.0.0.1:4011',
      HOST: '127.0.0.1',
      PORT: 4021,
      LOG_LEVEL: 'info',
    });
    expect(loadPlnEnv({ KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092', PORT: '9000', DATA_DIR: '/var/lib/pln', LOG_LEVEL: 'debug', HOST: '' })).toMatchObject({
      KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092',
      PORT: 9000,
      DATA_DIR: '/var/lib/pln',
      LOG_LEVEL: 'debug',
      HOST: '127.0.0.1',
    });
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      loadPlnEnv({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems.join('\n');
    expect(problems).toMatch(/^PORT: /m);
    expect(problems).toMatch(/^LOG_LEVEL: /m);
    expect(problems).toMatch(/^EVENTS_URL: set EVENTS_URL .* or KAFKA_BROKERS/m);
    expect(() => loadPlnEnv({ KAFKA_BROKERS: 'kafka-1' })).toThrow(/KAFKA_BROKERS: expected host:port/);
  });

  it('refuses an EVENTS_URL that is not http(s)', () => {
    expect(() => loadPlnEnv({ EVENTS_URL: 'kafka://broker:9092' })).toThrow(/EVENTS_URL: expected the http\(s\) URL/);
  });
});
