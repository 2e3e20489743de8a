import { emptyAsUndefined, loadEnv } from '@simpul/service-kit';
import { z } from 'zod';

/** An empty variable counts as unset (`PORT=` takes the default, not port 0). */
const blankAsUnset = <S extends z.ZodType>(schema: S) => z.preprocess(emptyAsUndefined, schema);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Simpul refuses shorter webhook secrets (MIN_WEBHOOK_SECRET_LENGTH). */
const MIN_SECRET_LENGTH = 24;

/** Bank BPD's connector configuration; every bad variable is listed at once. */
export const bankEnvSchema = z.object({
  /** The task server's address: Simpul's WEBHOOK_URL_BANK_BPD is http://HOST:PORT/tasks. */
  HOST: blankAsUnset(z.string().default('127.0.0.1')),
  PORT: blankAsUnset(z.coerce.number().int().min(0).max(65535).default(4022)),
  /** The secret shared with Simpul (its WEBHOOK_SECRET_BANK_BPD). */
  WEBHOOK_SECRET: blankAsUnset(
    z
      .string({ error: `required: the secret shared with Simpul (its WEBHOOK_SECRET_BANK_BPD), at least ${MIN_SECRET_LENGTH} characters` })
      .min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`),
  ),
  /** Where decisions are reported, e.g. http://127.0.0.1:4000/participants/bank-bpd/task-status. */
  SIMPUL_STATUS_URL: blankAsUnset(
    z.url({
      protocol: /^https?$/,
      error: 'required: Simpul’s status URL, e.g. http://127.0.0.1:4000/participants/bank-bpd/task-status',
    }),
  ),
  /**
   * When a delivered task is answered 2xx: `decision-stored` (default) as soon as the decision is
   * stored, the status report following in the background; `report-accepted` only once Simpul
   * accepted the report (503 otherwise). See README.md.
   */
  WEBHOOK_ACKNOWLEDGE: blankAsUnset(z.enum(['decision-stored', 'report-accepted']).default('decision-stored')),
  /** The bank's own records and remembered decisions; unset keeps them in memory (lost on restart). */
  DATA_DIR: blankAsUnset(z.string().optional()),
  LOG_LEVEL: blankAsUnset(z.enum(LOG_LEVELS).default('info')),
});

export type BankEnv = z.output<typeof bankEnvSchema>;

export function loadBankEnv(source: NodeJS.ProcessEnv = process.env): BankEnv {
  return loadEnv(bankEnvSchema, source);
}
