import { z } from 'zod';
import { parseInternalContextKey } from './security/internal-context';

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses the environment against a zod schema and fails fast, listing every bad variable at once. */
export function loadEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}

const port = z.coerce.number().int().min(0).max(65535);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** Variables every Simpul subgraph service reads. */
export const serviceEnvShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  DATA_DIR: optionalString,
  SEED_CITIZENS: z.coerce.number().int().min(1).max(1_000_000).optional(),
  SEED: z.coerce.number().int().default(20171006),
  /**
   * The gateway's public Ed25519 JWK (JSON) verifying `x-simpul-context` (security/): when set, only
   * requests the gateway signed are served and field access is enforced. Required in production.
   */
  INTERNAL_CONTEXT_PUBLIC_KEY: optionalString.superRefine((value, ctx) => {
    if (value === undefined) return;
    try {
      parseInternalContextKey(value, 'public');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  }),
};

/** A service's env schema: the shared variables plus its own, with the one-database rule checked. */
export function defineServiceEnv<Extra extends z.ZodRawShape>(extra: Extra) {
  return z
    .object({ ...serviceEnvShape, ...extra })
    .refine((env) => Boolean((env as { DATABASE_URL?: string }).DATABASE_URL || (env as { DATA_DIR?: string }).DATA_DIR), {
      message: 'set DATABASE_URL (PostgreSQL) or DATA_DIR (embedded PGlite data directory)',
      path: ['DATABASE_URL'],
    })
    .refine((env) => (env as { NODE_ENV?: string }).NODE_ENV !== 'production' || Boolean((env as { INTERNAL_CONTEXT_PUBLIC_KEY?: string }).INTERNAL_CONTEXT_PUBLIC_KEY), {
      message: 'required in production: the gateway\'s public JWK, so that only the gateway can call this service',
      path: ['INTERNAL_CONTEXT_PUBLIC_KEY'],
    });
}

export const serviceEnvSchema = defineServiceEnv({});
export type ServiceEnv = z.infer<typeof serviceEnvSchema>;
