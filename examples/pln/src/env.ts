import { emptyAsUndefined, loadEnv } from '@simpul/service-kit';
import { z } from 'zod';

/** An empty variable counts as unset (`PORT=` takes the default, not port 0). */
const blankAsUnset = <S extends z.ZodType>(schema: S) => z.preprocess(emptyAsUndefined, schema);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** PLN's connector configuration; every bad variable is listed at once. */
export const plnEnvSchema = z
  .object({
    /** The embedded event broker of `npm start`, e.g. http://127.0.0.1:4011. */
    EVENTS_URL: blankAsUnset(z.url({ protocol: /^https?$/, error: 'expected the http(s) URL of the embedded event broker, e.g. http://127.0.0.1:4011' }).optional()),
    /** Kafka instead: host:port[,host:port…] (wins over EVENTS_URL). */
    KAFKA_BROKERS: blankAsUnset(
      z
        .string()
        .regex(/^\s*[^\s:,]+:\d{1,5}\s*(?:,\s*[^\s:,]+:\d{1,5}\s*)*$/, 'expected host:port[,host:port…]')
        .optional(),
    ),
    /** Where /healthz and /readyz are served. */
    HOST: blankAsUnset(z.string().default('127.0.0.1')),
    PORT: blankAsUnset(z.coerce.number().int().min(0).max(65535).default(4021)),
    /** PLN's own records and remembered decisions; unset keeps them in memory (lost on restart). */
    DATA_DIR: blankAsUnset(z.string().optional()),
    LOG_LEVEL: blankAsUnset(z.enum(LOG_LEVELS).default('info')),
  })
  .refine((env) => Boolean(env?.EVENTS_URL || env?.KAFKA_BROKERS), {
    message: 'set EVENTS_URL (the embedded broker of npm start) or KAFKA_BROKERS (Kafka)',
    path: ['EVENTS_URL'],
    // Checked even when other variables are bad, so every problem is reported at once.
    when: () => true,
  });

export type PlnEnv = z.output<typeof plnEnvSchema>;

export function loadPlnEnv(source: NodeJS.ProcessEnv = process.env): PlnEnv {
  return loadEnv(plnEnvSchema, source);
}
