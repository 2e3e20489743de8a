import { z } from 'zod';
import { auditEnvShape } from './audit/audit-config';
import { EnvError, emptyAsUndefined } from './env-error';
import { parseInternalContextKey } from './security/internal-context';

export { EnvError, emptyAsUndefined };

/** Parses the environment against a zod schema and fails fast, listing every bad variable at once. */
export function loadEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}

const port = z.coerce.number().int().min(0).max(65535);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

/**
 * Variables every Simpul subgraph service reads: with the service's own (defineServiceEnv) and its
 * task worker's (@simpul/events' taskWorkerEnvShape), the one list of what a service reads, parsed
 * once at start and printed by `--help` (describeEnv).
 */
export const serviceEnvShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development').describe('development, test or production (production requires the security settings)'),
  HOST: z.string().default('127.0.0.1').describe('address the HTTP server listens on'),
  PORT: port.describe('port the HTTP server listens on (0: any free port)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()).describe('PostgreSQL URL (or DATA_DIR)'),
  DATA_DIR: optionalString.describe('embedded PGlite data directory (or DATABASE_URL)'),
  SEED_CITIZENS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1_000_000).optional()).describe('seed the synthetic world for this many citizens when the database is empty'),
  SEED: z.coerce.number().int().default(20171006).describe('PRNG seed of the synthetic world'),
  ...auditEnvShape,
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
  }).describe("the gateway's public Ed25519 JWK verifying x-simpul-context (required in production)"),
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

/**
 * The variables an env schema reads, one line each: name, default (or "required"/"optional") and
 * description: what `--help` prints, so the list cannot drift from what is parsed.
 */
export function describeEnv(schema: z.ZodType): string {
  const rows = Object.entries(shapeOf(schema)).map(([name, field]) => {
    const unset = field.safeParse(undefined);
    const none = unset.success && (unset.data === undefined || (Array.isArray(unset.data) && unset.data.length === 0));
    const fallback = !unset.success ? 'required' : none ? 'optional' : `default ${formatDefault(unset.data)}`;
    return [name, fallback, field.description ?? ''] as const;
  });
  const width = (column: 0 | 1) => Math.max(...rows.map((row) => row[column].length));
  return rows.map(([name, fallback, text]) => `  ${name.padEnd(width(0))}  ${fallback.padEnd(width(1))}  ${text}`.trimEnd()).join('\n');
}

/** The variables of an object schema, or of both sides of an intersection (a service's and its worker's). */
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  if (schema instanceof z.ZodIntersection) return { ...shapeOf(schema.def.left as z.ZodType), ...shapeOf(schema.def.right as z.ZodType) };
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
}

function formatDefault(value: unknown): string {
  if (value instanceof Map) return value.size === 0 ? '(none)' : JSON.stringify(Object.fromEntries(value));
  return String(value);
}
