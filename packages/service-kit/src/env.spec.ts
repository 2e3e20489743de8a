import { z } from 'zod';
import { EnvError, defineServiceEnv, loadEnv } from './env';

describe('loadEnv', () => {
  it('parses a valid service environment with defaults', () => {
    const env = loadEnv(defineServiceEnv({}), { PORT: '4001', DATA_DIR: '/tmp/x' });
    expect(env).toMatchObject({ PORT: 4001, HOST: '127.0.0.1', DATA_DIR: '/tmp/x', LOG_LEVEL: 'info', NODE_ENV: 'development' });
  });

  it('lists every bad variable at once', () => {
    const schema = defineServiceEnv({ KAFKA_BROKERS: z.string().min(1) });
    try {
      loadEnv(schema, { PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', DATA_DIR: '/d' });
      throw new Error('expected EnvError');
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const problems = (error as EnvError).problems.join('\n');
      expect(problems).toMatch(/^PORT:/m);
      expect(problems).toMatch(/^LOG_LEVEL:/m);
      expect(problems).toMatch(/^DATABASE_URL:/m);
      expect(problems).toMatch(/^KAFKA_BROKERS:/m);
    }
  });

  it('requires a database: Postgres URL or PGlite data dir', () => {
    expect(() => loadEnv(defineServiceEnv({}), { PORT: '1' })).toThrow(/DATABASE_URL: set DATABASE_URL \(PostgreSQL\) or DATA_DIR/);
    expect(loadEnv(defineServiceEnv({}), { PORT: '1', DATABASE_URL: 'postgres://u@h:5432/d' }).DATABASE_URL).toBe('postgres://u@h:5432/d');
  });
});
