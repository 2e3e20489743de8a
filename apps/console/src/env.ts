import { z } from 'zod';

/** The console server's variables, parsed once at start (every bad one listed, then exit). */
export const consoleEnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4030),
  /** The gateway the console talks to: `/graphql` and `/live/…` are passed to it unchanged. */
  GATEWAY_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4000'),
  /** The realm's issuer as the browser reaches it (Keycloak, or the embedded IdP of `npm start`). */
  OIDC_ISSUER_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4010/realms/simpul'),
  /** The realm's public client for the console (authorization code + PKCE). */
  OIDC_CLIENT_ID: z.string().min(1).default('mpp-console'),
  /** The built web app (vite build); default: this package's dist/web. */
  WEB_DIR: z.string().min(1).optional(),
});

export type ConsoleEnv = z.infer<typeof consoleEnvSchema>;

/** Every bad variable, one per line (the message format of service-kit's EnvError). */
export class ConsoleEnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConsoleEnvError';
  }
}

/**
 * Parsed with zod here rather than through @simpul/service-kit's loadEnv: the kit's index loads
 * Apollo, PGlite and drizzle (100 MB and seconds of startup under load) that a static server and
 * proxy never use.
 */
export function loadConsoleEnv(source: NodeJS.ProcessEnv = process.env): ConsoleEnv {
  const parsed = consoleEnvSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  throw new ConsoleEnvError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
}
