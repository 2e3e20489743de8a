import { z } from 'zod';
import { emptyAsUndefined } from '../../env-error';

export const DEFAULT_OIDC_AUDIENCE = 'simpul-gateway';
export const DEFAULT_OIDC_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const MAX_CLOCK_TOLERANCE_SECONDS = 60;

/**
 * Algorithms OIDC_ALLOWED_ALGS may name: asymmetric signatures only. `none` and the HMAC family are
 * never acceptable: with HS256 anyone holding the (public) verification key could mint tokens.
 */
export const ASYMMETRIC_ALGORITHMS: ReadonlySet<string> = new Set([
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
]);

export interface OidcSettings {
  /** Expected `iss`, exactly as the identity provider's discovery document states it. */
  issuer: string;
  /** Must be one of the token's `aud` values. */
  audience: string;
  algorithms: string[];
  clockToleranceSeconds: number;
}

const algorithmList = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .default(DEFAULT_OIDC_ALGORITHMS.join(','))
    .transform((value) => value.split(',').map((alg) => alg.trim()).filter(Boolean))
    .superRefine((algorithms, ctx) => {
      if (algorithms.length === 0) ctx.addIssue({ code: 'custom', message: 'name at least one algorithm' });
      for (const alg of algorithms) {
        if (!ASYMMETRIC_ALGORITHMS.has(alg)) {
          ctx.addIssue({
            code: 'custom',
            message: `"${alg}" is not allowed: use asymmetric algorithms only (${[...ASYMMETRIC_ALGORITHMS].join(', ')})`,
          });
        }
      }
    }),
);

/** The gateway's OIDC variables, spread into its env object (see ../env.ts). */
export const oidcEnvShape = {
  OIDC_ISSUER_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  OIDC_AUDIENCE: z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_OIDC_AUDIENCE)),
  OIDC_ALLOWED_ALGS: algorithmList,
  OIDC_CLOCK_TOLERANCE_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(MAX_CLOCK_TOLERANCE_SECONDS).default(DEFAULT_CLOCK_TOLERANCE_SECONDS),
  ),
};

interface OidcEnvValues {
  NODE_ENV: string;
  OIDC_ISSUER_URL?: string;
  OIDC_AUDIENCE: string;
  OIDC_ALLOWED_ALGS: string[];
  OIDC_CLOCK_TOLERANCE_SECONDS: number;
}

/** A production gateway without an identity provider would serve every caller anonymously. */
export function requireIssuerInProduction(env: OidcEnvValues, ctx: z.RefinementCtx): void {
  if (env.NODE_ENV === 'production' && !env.OIDC_ISSUER_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['OIDC_ISSUER_URL'],
      message: 'required when NODE_ENV=production (e.g. https://sso.example.go.id/realms/simpul)',
    });
  }
}

/** Run requireIssuerInProduction even when other variables are bad, so that every problem is listed at once. */
export const requireIssuerInProductionParams = {
  when: (payload: { issues: readonly { path?: readonly PropertyKey[] }[] }) =>
    !payload.issues.some((issue) => issue.path?.[0] === 'NODE_ENV' || issue.path?.[0] === 'OIDC_ISSUER_URL'),
};

/** Undefined when OIDC_ISSUER_URL is unset: tokens are then not verified (development and tests only). */
export function oidcSettingsOf(env: OidcEnvValues): OidcSettings | undefined {
  if (!env.OIDC_ISSUER_URL) return undefined;
  return {
    issuer: env.OIDC_ISSUER_URL,
    audience: env.OIDC_AUDIENCE,
    algorithms: env.OIDC_ALLOWED_ALGS,
    clockToleranceSeconds: env.OIDC_CLOCK_TOLERANCE_SECONDS,
  };
}
