import { defineServiceEnv } from '@simpul/service-kit';
import { z } from 'zod';
import { DEFAULT_ACCESS_GRANT_CACHE_TTL_MS } from './modules/verification/access-grants';
import { DEFAULT_VERIFICATION_LIMITS as DEFAULTS } from './modules/verification/verification-limits';

const positiveInteger = z.coerce.number().int().min(1);

/**
 * `bank-bpd=500,pln=200`: daily quotas of failed claim checks Dukcapil gives named partners (their
 * client ids), instead of VERIFICATION_FAILED_CLAIMS_PER_CLIENT_PER_DAY.
 */
const clientQuotas = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const quotas = new Map<string, number>();
    for (const entry of value.split(',').map((part) => part.trim()).filter(Boolean)) {
      const match = /^([A-Za-z0-9._-]+)=(\d+)$/.exec(entry);
      if (!match || Number(match[2]) < 1) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not <client id>=<positive integer>` });
        return z.NEVER;
      }
      quotas.set(match[1]!, Number(match[2]));
    }
    return quotas;
  });

export const dukcapilEnvSchema = defineServiceEnv({
  /** Failed claim checks one client may make about one NIK within VERIFICATION_NIK_WINDOW_DAYS. */
  VERIFICATION_FAILED_CLAIMS_PER_NIK: positiveInteger.default(DEFAULTS.failedClaimsPerNik),
  /** The window, in days (WIB), of VERIFICATION_FAILED_CLAIMS_PER_NIK. */
  VERIFICATION_NIK_WINDOW_DAYS: positiveInteger.max(366).default(DEFAULTS.nikWindowDays),
  /** Failed claim checks one client may make per day (WIB), about anyone. */
  VERIFICATION_FAILED_CLAIMS_PER_CLIENT_PER_DAY: positiveInteger.default(DEFAULTS.failedClaimsPerClientPerDay),
  VERIFICATION_CLIENT_QUOTAS: clientQuotas,
  /**
   * The gateway, through which Dukcapil asks the participant registry for the access grants of the
   * partners it registered (as its own client, OIDC_CLIENT_ID). Unset: no grant is checked and the
   * SDL's @access alone governs verifyCitizen.
   */
  GATEWAY_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url({ protocol: /^https?$/ }).optional()),
  /** How long (ms) an answer of the registry is reused: a revoked or expired grant is refused within it. */
  ACCESS_GRANT_CACHE_TTL_MS: positiveInteger.max(300_000).default(DEFAULT_ACCESS_GRANT_CACHE_TTL_MS),
});
export type DukcapilEnv = z.output<typeof dukcapilEnvSchema>;
