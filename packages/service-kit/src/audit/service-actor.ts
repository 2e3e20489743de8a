import type { ClientCredentialsTokenSource } from '../client-credentials';
import { principalFromClaims } from '../security/access-token/principal';
import type { AuditOptions } from './audit-config';
import type { AuditActor, CollectingAuditRecorder } from './collecting-audit-recorder';

/**
 * The confidential client of the realm a subgraph acts as on its own: an agency's (`agency-<name>`)
 * when it reads another institution's data through the gateway or records its task work in the
 * audit log; the applications service's (`simpul-applications`) for the audit records of the
 * changes it makes on participants' reports; the participant registry's (`simpul-participants`) for
 * the Admin REST API of the identity provider. The audit log accepts a service account's records only
 * for the service this names (so no participant or integrator can append any). The audit service has none.
 */
export function serviceClientId(subgraph: string): string {
  return subgraph === 'applications' || subgraph === 'participants' ? `simpul-${subgraph}` : `agency-${subgraph}`;
}

/** Who a service is when it acts on its own (a task worker): an audit actor without a purpose. */
export type ServiceActor = Omit<AuditActor, 'purpose'>;

/**
 * The service's audit actor: with its confidential client, the subject, client and roles of the
 * access token it sends the audit service (which checks the records against that same token);
 * without one (development, no identity provider), `service:<name>` of client `simpul-<name>`.
 */
export function serviceActorSource(service: string, tokens: ClientCredentialsTokenSource | undefined): () => Promise<ServiceActor> {
  if (!tokens) {
    const actor: ServiceActor = { actor: `service:${service}`, actorType: 'client', client: `simpul-${service}`, roles: [] };
    return async () => actor;
  }
  return async () => {
    const token = await tokens.token();
    const result = principalFromClaims(unverifiedClaims(token));
    if (!result.ok) throw new Error(`the service's own access token is unusable: ${result.message}`);
    const { subject, client, actorType, roles } = result.principal;
    return { actor: subject, actorType, client, roles };
  };
}

/** The payload of a token this service was just given by its identity provider (the audit service verifies it). */
function unverifiedClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('the access token is not a JWT');
  const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new Error('the access token has no claims');
  return claims as Record<string, unknown>;
}

/**
 * Appends the records of work a service does on its own (a task, a participant's report it
 * applies) as its service account, for `work.purpose` (`application:<id>`): call it inside the
 * transaction of that work, before commit, so the work rolls back when the audit log does not
 * confirm. Nothing to append when the recorder is empty.
 */
export async function appendServiceRecords(
  audit: AuditOptions,
  service: string,
  recorder: CollectingAuditRecorder,
  work: { purpose: string; correlationId: string; occurredAt: Date },
): Promise<void> {
  if (recorder.isEmpty) return;
  const actor = await (audit.serviceActor ?? serviceActorSource(service, undefined))();
  const records = recorder.records({ actor: { ...actor, purpose: work.purpose }, correlationId: work.correlationId, occurredAt: work.occurredAt, nikHashPepper: audit.nikHashPepper });
  await audit.sink.append({ service, records }, { correlationId: work.correlationId });
}
