import { EnvError } from '@simpul/service-kit';
import { z } from 'zod';
import { taskWorkerEnvShape } from '../events-env';
import { loadTaskWorkerEnv, participantTasks } from './participant-tasks';
import { taskRetryPolicy } from './task-worker';

const inbox = {} as never;
const outbox = {} as never;

describe('a task worker environment', () => {
  it('is parsed once: brokers listed, retries as numbers, empty variables unset', () => {
    const env = loadTaskWorkerEnv({ KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092', TASK_MAX_ATTEMPTS: '3', TASK_RETRY_INITIAL_MS: '', EVENTS_URL: '' });
    expect(env).toMatchObject({ KAFKA_BROKERS: ['kafka-1:9092', 'kafka-2:9092'], TASK_MAX_ATTEMPTS: 3, KAFKA_IDEMPOTENT: false, NODE_ENV: 'development' });
    expect(env.TASK_RETRY_INITIAL_MS).toBeUndefined();
    expect(env.EVENTS_URL).toBeUndefined();
  });

  it('lists every bad variable at once', () => {
    let problems: string[] = [];
    try {
      loadTaskWorkerEnv({ KAFKA_BROKERS: 'kafka-1', TASK_MAX_ATTEMPTS: '0', AUDIT_URL: 'ftp://audit' });
    } catch (error) {
      problems = (error as EnvError).problems;
    }
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['AUDIT_URL', 'KAFKA_BROKERS', 'TASK_MAX_ATTEMPTS']);
  });

  it('sets the retry policy under the options, over the defaults', () => {
    expect(taskRetryPolicy({})).toEqual({ maxAttempts: 8, backoff: { initialMs: 500, maxMs: 30_000 } });
    expect(taskRetryPolicy({ TASK_MAX_ATTEMPTS: 3, TASK_RETRY_MAX_MS: 1_000 })).toEqual({ maxAttempts: 3, backoff: { initialMs: 500, maxMs: 1_000 } });
    expect(taskRetryPolicy({ TASK_MAX_ATTEMPTS: 3 }, { maxAttempts: 100, backoff: { initialMs: 20 } })).toEqual({ maxAttempts: 100, backoff: { initialMs: 20, maxMs: 30_000 } });
  });
});

describe('participantTasks', () => {
  it('declares the worker variables, for the service to parse with its own', () => {
    const tasks = participantTasks({ participant: 'licensing', inbox, outbox, handlers: () => ({}) });
    expect(tasks.participant).toBe('licensing');
    expect(tasks.envShape).toBe(taskWorkerEnvShape);
    expect(Object.keys(z.object(tasks.envShape).shape)).toEqual(expect.arrayContaining(['KAFKA_BROKERS', 'EVENTS_URL', 'TASK_MAX_ATTEMPTS']));
  });

  it("builds the handlers from the service's parsed env and the test's clock, and refuses to start without a broker", async () => {
    const seen: unknown[] = [];
    const clock = { today: () => '2026-03-10' };
    const tasks = participantTasks<Record<string, never>, { GATEWAY_URL: string }>({
      participant: 'police',
      inbox,
      outbox,
      handlers: (deps) => {
        seen.push(deps);
        return {};
      },
    });
    const env = { ...loadTaskWorkerEnv({}), GATEWAY_URL: 'http://gateway/graphql' };
    await expect(tasks.start({ db: {} as never, env, logger: undefined as never }, { clock })).rejects.toThrow(EnvError);
    await expect(tasks.start({ db: {} as never, env, logger: undefined as never }, { clock })).rejects.toThrow(/KAFKA_BROKERS or EVENTS_URL/);
    expect(seen[0]).toEqual({ env, clock });
  });
});
