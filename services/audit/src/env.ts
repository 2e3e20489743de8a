import { defineServiceEnv, emptyAsUndefined, oidcEnvShape } from '@simpul/service-kit';
import { z } from 'zod';

/**
 * AUDIT_CHAIN_KEY outside production when none is set. Anyone can read it here, so a chain keyed
 * with it proves nothing against someone with write access to the table: never use it for real data.
 */
export const DEVELOPMENT_AUDIT_CHAIN_KEY = 'simpul-development-audit-chain-key-NOT-SECRET';

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());

export const auditEnvSchema = defineServiceEnv({
  /** The HMAC key of the hash chain (≥ 32 characters). Kept away from the database: whoever has it can rebuild the chain. */
  AUDIT_CHAIN_KEY: optional(z.string().min(32, 'AUDIT_CHAIN_KEY must be at least 32 characters')),
  /** Where the signed chain checkpoints are appended (audit-anchors.log): storage the database's administrators cannot rewrite. */
  AUDIT_ANCHOR_DIR: optional(z.string()),
  /**
   * Independent hash chains the log is partitioned into (default 16): appends to different chains
   * never wait on each other, across connections and replicas. Raising it later is safe; lowering it
   * leaves the higher chains as they are (still verified, no longer appended to).
   */
  AUDIT_CHAINS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1024).default(16)),
  /** Group-commit transactions one audit process keeps in flight (default 4 on Postgres; PGlite has one connection and uses 1). */
  AUDIT_APPEND_CONCURRENCY: optional(z.coerce.number().int().min(1).max(64)),
  /**
   * Names this replica's checkpoint file (audit-anchors.<id>.log) when replicas share AUDIT_ANCHOR_DIR,
   * and spreads their first chains apart; e.g. the pod name. Unset: audit-anchors.log.
   */
  AUDIT_WRITER_ID: optional(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'AUDIT_WRITER_ID: 1–64 of [A-Za-z0-9_-]')),
  /**
   * How far (seconds) a record's occurredAt may lie from this service's clock, either way (default
   * 300): records are appended as the access happens, so one dated long ago or ahead is forged.
   */
  AUDIT_OCCURRED_AT_WINDOW_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(10).max(31 * 86_400).default(300)),
  /** Hashes the NIK of `myDataAccessLog`'s caller and of `dataAccessLog(nik:)`, as the subgraphs hash the NIKs they record. */
  NIK_HASH_PEPPER: optional(z.string().min(16, 'NIK_HASH_PEPPER must be at least 16 characters')),
  /**
   * The identity provider whose service-account tokens may append records of a service's own work
   * (task workers), e.g. https://sso.example.go.id/realms/simpul; OIDC_AUDIENCE, OIDC_ALLOWED_ALGS and
   * OIDC_CLOCK_TOLERANCE_SECONDS as in the gateway. Without it only gateway requests' records are accepted.
   */
  ...oidcEnvShape,
}).superRefine((env, ctx) => {
  if (!env.AUDIT_ANCHOR_DIR) {
    ctx.addIssue({ code: 'custom', path: ['AUDIT_ANCHOR_DIR'], message: 'required: the directory of the signed chain checkpoints (audit-anchors.log)' });
  }
  if (env.NODE_ENV !== 'production') return;
  // INTERNAL_CONTEXT_PUBLIC_KEY (shared by every service) is required in production too.
  for (const name of ['AUDIT_CHAIN_KEY', 'NIK_HASH_PEPPER'] as const) {
    if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required in production' });
  }
});

export type AuditEnv = z.infer<typeof auditEnvSchema>;
