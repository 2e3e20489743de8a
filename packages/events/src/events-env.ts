import { emptyAsUndefined, loadEnv } from '@simpul/service-kit';
import { z } from 'zod';

const brokerList = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .default('')
    .transform((value, ctx) => {
      const brokers = value.split(',').map((broker) => broker.trim()).filter(Boolean);
      const bad = brokers.filter((broker) => !/^[^\s:]+:\d{1,5}$/.test(broker));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `expected host:port[,host:port…], got ${bad.join(', ')}` });
        return z.NEVER;
      }
      return brokers;
    }),
);

const positiveInteger = z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).optional());

/** Where the events are: Kafka (KAFKA_BROKERS) or the embedded broker `npm start` runs (EVENTS_URL). */
export const eventsEnvShape = {
  KAFKA_BROKERS: brokerList.describe('Kafka brokers, host:port[,host:port…] (or EVENTS_URL)'),
  KAFKA_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()).describe('Kafka client id (default simpul-<service>)'),
  KAFKA_IDEMPOTENT: z
    .preprocess(emptyAsUndefined, z.enum(['true', 'false']).default('false'))
    .transform((value) => value === 'true')
    .describe('idempotent Kafka producer'),
  EVENTS_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()).describe('the embedded event broker, e.g. http://127.0.0.1:4011 (or KAFKA_BROKERS)'),
};
export const eventsEnvSchema = z.object(eventsEnvShape);
export type EventsEnv = z.output<typeof eventsEnvSchema>;

/** A participant's task worker: where the events are, and how a failing task is retried (taskRetryPolicy). */
export const taskWorkerEnvShape = {
  ...eventsEnvShape,
  TASK_MAX_ATTEMPTS: positiveInteger.describe('attempts of a failing task before it is dead-lettered (default 8)'),
  TASK_RETRY_INITIAL_MS: positiveInteger.describe('first retry delay of a failing task, ms (default 500, doubling)'),
  TASK_RETRY_MAX_MS: positiveInteger.describe('longest retry delay of a failing task, ms (default 30000)'),
};
export const taskWorkerEnvSchema = z.object(taskWorkerEnvShape);
export type TaskWorkerEnv = z.output<typeof taskWorkerEnvSchema>;

/** The events variables of `source` (a process's environment), every bad one listed in one EnvError. */
export function loadEventsEnv(source: NodeJS.ProcessEnv): EventsEnv {
  return loadEnv(eventsEnvSchema, source);
}
