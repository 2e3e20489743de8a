import type { DukcapilEnv } from '../../env';

/** How many wrong answers verifyCitizen gives a client before refusing it (VERIFICATION_LIMIT). */
export interface VerificationLimits {
  /** Failed claim checks one client may make about one NIK within `nikWindowDays`. */
  failedClaimsPerNik: number;
  nikWindowDays: number;
  /** Failed claim checks one client may make per day, about anyone (unless it has a quota). */
  failedClaimsPerClientPerDay: number;
  /** Daily quotas Dukcapil gives named partners (client id → failed claim checks per day). */
  clientQuotas: ReadonlyMap<string, number>;
}

/** The service's defaults (dukcapilEnvSchema's), for a subgraph built without an environment (tests). */
export const DEFAULT_VERIFICATION_LIMITS: VerificationLimits = {
  failedClaimsPerNik: 3,
  nikWindowDays: 30,
  failedClaimsPerClientPerDay: 200,
  clientQuotas: new Map(),
};

export function verificationLimitsOf(env: DukcapilEnv): VerificationLimits {
  return {
    failedClaimsPerNik: env.VERIFICATION_FAILED_CLAIMS_PER_NIK,
    nikWindowDays: env.VERIFICATION_NIK_WINDOW_DAYS,
    failedClaimsPerClientPerDay: env.VERIFICATION_FAILED_CLAIMS_PER_CLIENT_PER_DAY,
    clientQuotas: env.VERIFICATION_CLIENT_QUOTAS,
  };
}

export function dailyLimitOf(limits: VerificationLimits, clientId: string): number {
  return limits.clientQuotas.get(clientId) ?? limits.failedClaimsPerClientPerDay;
}
