import { createHmac } from 'node:crypto';
import { z } from 'zod';

/**
 * What a subgraph sends the audit service (`POST <AUDIT_URL>/records`): one record per citizen and
 * kind of access in a request, with every field of theirs it returned or changed.
 */
export const AUDIT_ACTOR_TYPES = ['user', 'client', 'anonymous'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

export const AUDIT_ACCESS_KINDS = ['READ', 'CHANGE'] as const;
export type AuditAccessKind = (typeof AUDIT_ACCESS_KINDS)[number];

/** At most this many records in one POST; the client splits bigger requests. */
export const MAX_AUDIT_BATCH_RECORDS = 500;

/** Who stands behind a request when the gateway sent no signed context (security not configured). */
export const ANONYMOUS_ACTOR = { actor: 'anonymous', actorType: 'anonymous', client: 'unknown', roles: [] } as const;

const text = (max: number) => z.string().min(1).max(max);

export const auditRecordInputSchema = z.strictObject({
  /** `sub` of the signed context: a user's or a client's subject id; `anonymous` without one. */
  actor: text(200),
  actorType: z.enum(AUDIT_ACTOR_TYPES),
  /** `azp`: the OAuth client the actor used (`mpp-console`, `agency-tax`…). */
  client: text(200),
  roles: z.array(text(100)).max(50),
  /** `application:<uuid>` or `legal-basis:<CODE>`; null when the request carried none. */
  purpose: text(200).nullable(),
  /** hashNik(nik, NIK_HASH_PEPPER): the audit log never holds a plaintext NIK. */
  nikHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (hashNik)'),
  /** `Citizen.maritalStatus`, `Passport.number`… */
  fields: z
    .array(z.string().regex(/^[A-Za-z_]\w{0,99}\.[A-Za-z_]\w{0,99}$/, 'must be Type.field'))
    .min(1)
    .max(200),
  kind: z.enum(AUDIT_ACCESS_KINDS),
  correlationId: text(128),
  occurredAt: z.iso.datetime({ offset: true }),
});
export type AuditRecordInput = z.infer<typeof auditRecordInputSchema>;

const serviceNameSchema = z.string().regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'must be a lower-kebab service name').max(40);

export const auditBatchSchema = z.strictObject({
  /** The subgraph that served the data (`dukcapil`, `tax`…). */
  service: serviceNameSchema,
  records: z.array(auditRecordInputSchema).min(1).max(MAX_AUDIT_BATCH_RECORDS),
});
export type AuditBatch = z.infer<typeof auditBatchSchema>;

/** The audience of the context the gateway signs for its own appends (the audit service's name). */
export const GATEWAY_APPEND_AUDIENCE = 'audit';

/** At most this many subgraphs' batches in one gateway append (a request touches each subgraph at most a few times). */
export const MAX_AUDIT_BATCHES = 64;

/** What the gateway appends for one client request: every subgraph's read records, in one POST. */
export const auditBatchesSchema = z.strictObject({
  batches: z.array(auditBatchSchema).min(1).max(MAX_AUDIT_BATCHES),
});
export type AuditBatches = z.infer<typeof auditBatchesSchema>;

/**
 * The response extension in which a subgraph hands a request's read records to the gateway when the
 * gateway's context says it records them (`auditedBy: 'gateway'`): `{ records: AuditRecordInput[] }`.
 * The gateway removes it before anything reaches the client.
 */
export const AUDIT_RESPONSE_EXTENSION = 'simpulAudit';

/**
 * NIK_HASH_PEPPER outside production when none is set; the same value as the applications
 * service's, so hashes agree across a development stack. Not a secret.
 */
export const DEVELOPMENT_NIK_HASH_PEPPER = 'simpul-development-pepper-not-secret';

/**
 * hashNik of @simpul/events (which depends on this package, so it cannot be imported here):
 * HMAC-SHA256 of the NIK with the deployment's pepper, hex. The same value identifies a citizen in
 * events, tasks and the audit log.
 */
export function auditNikHash(nik: string, pepper: string): string {
  if (nik.length === 0) throw new Error('auditNikHash needs a NIK');
  if (pepper.length < 16) throw new Error('auditNikHash needs a pepper of at least 16 characters');
  return createHmac('sha256', pepper).update(nik).digest('hex');
}
