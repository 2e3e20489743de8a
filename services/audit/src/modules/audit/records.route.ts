import {
  auditBatchSchema,
  auditBatchesSchema,
  GATEWAY_APPEND_AUDIENCE,
  type AuditBatch,
  MAX_BODY_BYTES,
  type AuditRecordInput,
  type HttpRoute,
  parsePurpose,
  serviceClientId,
  type InternalContextVerifier,
  type Logger,
  type TokenVerifier,
  HttpRefusal,
  readJsonBody,
  route,
  sendJson,
} from '@simpul/service-kit';
import { recordsCallerOf, type RecordsCredential } from '../../internal-context';
import type { AuditLog } from './audit.service';

export const RECORDS_PATH = '/records';
export const DEFAULT_OCCURRED_AT_WINDOW_SECONDS = 300;

/** Every refusal of POST /records: `{ error: { code, message, … } }` with its status. */
const refuse = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) => new HttpRefusal(status, code, message, extra);

/**
 * Why the caller may not append records of `service` at all, or undefined when it may: a gateway
 * context only for the subgraph it was signed for (its audience), a service account only for its own
 * service (serviceClientId), so no participant, integrator or other agency appends in anyone's name.
 */
export function serviceMismatch(service: string, credential: RecordsCredential): string | undefined {
  if (credential.kind === 'gateway-context') {
    return credential.caller.audience === service ? undefined : `the context was signed for "${credential.caller.audience}", not for "${service}"`;
  }
  const own = serviceClientId(service);
  return credential.caller.client === own ? undefined : `client "${credential.caller.client}" is not the service account of "${service}" (${own}): only a service records its own work`;
}

/**
 * The gateway appending a whole request's records (`{ batches }`, each subgraph's): only with a
 * context it signed for the audit log itself, never with one a subgraph was given.
 */
export function gatewayMismatch(credential: RecordsCredential): string | undefined {
  if (credential.kind === 'gateway-context' && credential.caller.audience === GATEWAY_APPEND_AUDIENCE) return undefined;
  return 'only the gateway appends several services\' records at once';
}

/** The two bodies POST /records takes: one service's batch, or the gateway's batches of a whole request. */
type RecordsBody = { batches: AuditBatch[]; gatewayRequest: boolean; path(batch: number): string } | { issues: string[] };

export function recordsBodyOf(json: unknown): RecordsBody {
  const isBatches = typeof json === 'object' && json !== null && 'batches' in json;
  const parsed = isBatches ? auditBatchesSchema.safeParse(json) : auditBatchSchema.safeParse(json);
  if (!parsed.success) return { issues: parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  return 'batches' in parsed.data
    ? { batches: parsed.data.batches, gatewayRequest: true, path: (batch) => `batches.${batch}.` }
    : { batches: [parsed.data], gatewayRequest: false, path: () => '' };
}

/** Why a record's occurredAt cannot be the time of an access just made, or undefined. */
export function occurredAtProblem(record: AuditRecordInput, now: Date, windowSeconds: number): string | undefined {
  const skew = Math.abs(new Date(record.occurredAt).getTime() - now.getTime()) / 1000;
  return skew <= windowSeconds ? undefined : `occurredAt ${record.occurredAt} is more than ${windowSeconds} s from now: records are appended as the access happens`;
}

/**
 * Why a record does not describe the verified caller's request, or undefined when it does. A
 * gateway request's records carry its purpose; a service account's work on its own must declare one
 * (a task worker: `application:<id>`), which its token cannot vouch for.
 */
export function mismatchWithCaller(record: AuditRecordInput, credential: RecordsCredential): string | undefined {
  const { caller } = credential;
  if (record.actor !== caller.subject) return `actor "${record.actor}" is not the caller`;
  if (record.actorType !== caller.actorType) return `actorType "${record.actorType}" is not the caller's`;
  if (record.client !== caller.client) return `client "${record.client}" is not the caller's`;
  if (credential.kind === 'gateway-context') {
    if ((record.purpose ?? undefined) !== credential.caller.purpose) return 'purpose is not the request\'s';
  } else if (record.purpose === null || !parsePurpose(record.purpose).ok) {
    return 'a service account\'s records must declare their purpose (application:<uuid> or legal-basis:<CODE>)';
  }
  const roles = [...caller.roles].sort();
  if (record.roles.length !== roles.length || [...record.roles].sort().some((role, i) => role !== roles[i])) return 'roles are not the caller\'s';
  return undefined;
}

/**
 * `POST /records`: a subgraph appends the records of one request (AuditBatch), a service those of
 * its own work (a task). With security configured, only with the gateway-signed context of that
 * request or the service's own access token, and only records naming that caller (a subgraph cannot
 * write records about someone else). Answers 201 once committed and
 * checkpointed; 400 bad batch, 401 no valid context, 403 records not the caller's, 503 not stored.
 */
export function recordsRoute(deps: {
  log: AuditLog;
  verifier: InternalContextVerifier | undefined;
  tokenVerifier?: TokenVerifier;
  logger: Logger;
  occurredAtWindowSeconds?: number;
}): HttpRoute {
  const windowSeconds = deps.occurredAtWindowSeconds ?? DEFAULT_OCCURRED_AT_WINDOW_SECONDS;
  return route({
    path: RECORDS_PATH,
    methods: ['POST'],
    logger: deps.logger,
    async handle({ req }, res) {
      const caller = await recordsCallerOf(req, { context: deps.verifier, token: deps.tokenVerifier });
      if (caller.security === 'on' && !caller.credential) throw refuse(401, 'UNAUTHENTICATED', caller.problem);

      const body = recordsBodyOf(await readJsonBody(req, { limit: MAX_BODY_BYTES }));
      if ('issues' in body) throw refuse(400, 'BAD_REQUEST', 'not an audit batch', { issues: body.issues });
      const now = new Date();
      for (const [b, batch] of body.batches.entries()) {
        for (const [index, record] of batch.records.entries()) {
          const problem = occurredAtProblem(record, now, windowSeconds);
          if (problem) throw refuse(400, 'BAD_REQUEST', `${body.path(b)}records.${index}: ${problem}`, { rule: 'OCCURRED_AT_WINDOW' });
        }
      }
      if (caller.security === 'on') {
        const notGateway = body.gatewayRequest ? gatewayMismatch(caller.credential) : undefined;
        if (notGateway) throw refuse(403, 'FORBIDDEN', notGateway, { rule: 'NOT_OWN_SERVICE' });
        for (const [b, batch] of body.batches.entries()) {
          const refused = body.gatewayRequest ? undefined : serviceMismatch(batch.service, caller.credential);
          if (refused) throw refuse(403, 'FORBIDDEN', refused, { rule: 'NOT_OWN_SERVICE' });
          for (const [index, record] of batch.records.entries()) {
            const mismatch = mismatchWithCaller(record, caller.credential);
            if (mismatch) throw refuse(403, 'FORBIDDEN', `${body.path(b)}records.${index}: ${mismatch}`);
          }
        }
      }
      try {
        const appended = await deps.log.appendMany(body.batches);
        sendJson(res, 201, { appended: appended.last - appended.first + 1, head: { chain: appended.chain, sequence: appended.last, hash: appended.hash } });
      } catch (failure) {
        deps.logger.error({ err: failure, services: body.batches.map((batch) => batch.service) }, 'audit records not stored');
        throw refuse(503, 'AUDIT_UNAVAILABLE', 'the records were not stored');
      }
    },
  });
}
