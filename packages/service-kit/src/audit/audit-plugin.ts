import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { DomainError } from '../errors';
import type { Logger } from '../logger';
import { AUDIT_FORWARDED_CONTEXT_HEADER } from './audit-client';
import type { AuditOptions } from './audit-config';
import { ANONYMOUS_ACTOR, AUDIT_RESPONSE_EXTENSION, type AuditActorType } from './audit-record';
import type { AuditRecorder } from './audit-recorder';
import { CollectingAuditRecorder, DISCARDING_AUDIT_RECORDER, type AuditActor } from './collecting-audit-recorder';

/** What the plugin needs of a request context (RequestContext has them). */
interface AuditedContext {
  correlationId: string;
  audit?: AuditRecorder;
  /** The verified caller (security/), when the subgraph verifies the internal context. */
  caller?: { subject: string; client: string; actorType: 'user' | 'client'; roles: readonly string[]; purpose?: string; auditedBy?: 'gateway' };
}

export const AUDIT_UNAVAILABLE_MESSAGE = 'The audit log could not record this access to personal data, so the data is withheld. Try again later.';
export const AUDIT_CHANGE_UNAVAILABLE_MESSAGE = 'The audit log could not record this change to personal data, so nothing was changed. Try again later.';

/**
 * The actor of the gateway's signed context (`x-simpul-context`) when the subgraph does not verify
 * it itself (no INTERNAL_CONTEXT_PUBLIC_KEY): only decoded. The audit service verifies it when it
 * has the key and refuses records naming anyone else, so a forged header yields no records and
 * therefore no data.
 */
export function auditActorOf(internalContext: string | undefined): AuditActor {
  if (!internalContext) return { ...ANONYMOUS_ACTOR, purpose: null };
  const claims = jwsClaims(internalContext);
  if (!claims) return { ...ANONYMOUS_ACTOR, purpose: null };
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const actorType: AuditActorType = claims.act === 'user' || claims.act === 'client' ? claims.act : 'anonymous';
  return {
    actor: text(claims.sub) ?? ANONYMOUS_ACTOR.actor,
    actorType,
    client: text(claims.azp) ?? ANONYMOUS_ACTOR.client,
    roles: Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === 'string') : [],
    purpose: text(claims.purpose) ?? null,
  };
}

/**
 * The payload of a compact JWS, unverified. (Not jose's decodeJwt: jose is ESM-only, and every
 * package's jest would have to run with --experimental-vm-modules to load service-kit.)
 */
function jwsClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Puts a fresh recorder on every operation's context (`context.audit`), and before the response
 * leaves appends what it recorded to the audit log, waiting for the commit. If that fails, the
 * response is replaced by AUDIT_UNAVAILABLE errors and no data: personal data is never returned
 * (or reported changed) without its audit record. A resolver that changes a citizen's data records
 * the change itself before committing (`context.audit.recordChanges`), so a change is never made
 * without its record either. Without `options` (auditing not configured) accesses are discarded.
 */
export function auditPlugin<TContext extends AuditedContext>(service: string, logger: Logger, options: AuditOptions | undefined): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      if (!options) {
        contextValue.audit = DISCARDING_AUDIT_RECORDER;
        return;
      }
      const startedAt = new Date();
      const internalContext = request.http?.headers.get(AUDIT_FORWARDED_CONTEXT_HEADER) ?? undefined;
      const actorOf = (context: TContext): AuditActor => {
        const { caller } = context;
        return caller
          ? { actor: caller.subject, actorType: caller.actorType, client: caller.client, roles: caller.roles, purpose: caller.purpose ?? null }
          : auditActorOf(internalContext);
      };
      const append = (records: ReturnType<CollectingAuditRecorder['records']>) =>
        options.sink.append({ service, records }, { internalContext, correlationId: contextValue.correlationId });
      const recorder = new CollectingAuditRecorder(async (changes) => {
        const pending = new CollectingAuditRecorder();
        for (const change of changes) pending.access({ ...change, kind: 'CHANGE' });
        try {
          await append(pending.records({ actor: actorOf(contextValue), correlationId: contextValue.correlationId, occurredAt: new Date(), nikHashPepper: options.nikHashPepper }));
        } catch (error) {
          logger.error({ err: error, correlationId: contextValue.correlationId }, 'audit log unavailable: refusing the change');
          throw new DomainError('AUDIT_UNAVAILABLE', AUDIT_CHANGE_UNAVAILABLE_MESSAGE);
        }
      });
      contextValue.audit = recorder;
      return {
        async willSendResponse({ response, contextValue: context }) {
          if (recorder.isEmpty) return;
          const records = recorder.records({ actor: actorOf(context), correlationId: context.correlationId, occurredAt: startedAt, nikHashPepper: options.nikHashPepper });
          if (context.caller?.auditedBy === 'gateway') {
            // The gateway appends them, for every subgraph of the request at once, before the client sees anything.
            handToGateway(response, records);
            return;
          }
          try {
            await append(records);
          } catch (error) {
            logger.error({ err: error, correlationId: context.correlationId }, 'audit log unavailable: withholding the response');
            withhold(response);
          }
        },
      };
    },
  };
}

/** The records go back with the response, for the gateway's one append of the whole request. */
function handToGateway(response: GraphQLResponse, records: ReturnType<CollectingAuditRecorder['records']>): void {
  if (response.body.kind !== 'single') return withhold(response);
  const result = response.body.singleResult;
  result.extensions = { ...result.extensions, [AUDIT_RESPONSE_EXTENSION]: { records } };
}

/** No data, and an AUDIT_UNAVAILABLE error on each root field (the gateway maps them to the client's paths). */
function withhold(response: GraphQLResponse): void {
  const data = response.body.kind === 'single' ? response.body.singleResult.data : response.body.initialResult.data;
  // An entity fetch's error per representation, so the gateway nulls exactly the entities it withheld.
  const paths: (string | number)[][] = Object.entries(data ?? {}).flatMap(([key, value]) =>
    key === '_entities' && Array.isArray(value) ? value.map((_, index) => [key, index]) : [[key]],
  );
  const extensions = { code: 'AUDIT_UNAVAILABLE' };
  const errors: GraphQLFormattedError[] =
    paths.length > 0
      ? paths.map((path) => ({ message: AUDIT_UNAVAILABLE_MESSAGE, path, extensions }))
      : [{ message: AUDIT_UNAVAILABLE_MESSAGE, extensions }];
  response.body = { kind: 'single', singleResult: { data: null, errors } };
}
