import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseUuid } from '@simpul/identifiers';
import {
  AUDIT_UNAVAILABLE_MESSAGE,
  auditActorOf,
  authenticateRouteRequest,
  CollectingAuditRecorder,
  correlationIdOf,
  describeSubgraphAccess,
  fieldAccessDenial,
  INTERNAL_CONTEXT_HEADER,
  type AuditActor,
  type AuditOptions,
  type Database,
  type DomainError,
  type FieldAccessRule,
  type HttpRoute,
  type InternalCaller,
  type InternalContextVerifier,
  type Logger,
  requestUrl,
  sendJson,
} from '@simpul/service-kit';
import type { DocumentNode } from 'graphql';
import type { ApplicationRow, ApplicationsSchema } from '../../db/schema';
import { AUDIT_SERVICE } from '../application/application-audit';
import { findApplicationsById } from '../application/application.repository';
import type { ServiceCatalogue } from '../catalogue/service-catalogue';
import { isApplicationSlaBreached } from '../task/sla';
import { findTasksOfApplications } from '../task/task.repository';
import { taskView } from '../task/task.view';
import type { TimelineWatcher } from './timeline-watcher';
import { timelineEntryView } from './timeline.view';

const PATH = /^\/applications\/([^/]+)\/events$/;
/** Comment lines keep proxies and load balancers from closing a quiet stream. */
const DEFAULT_HEARTBEAT_MS = 15_000;
/** How long a browser's EventSource waits before reconnecting. */
const RECONNECT_MS = 3000;

export interface ApplicationEventsRouteOptions {
  db: Database<ApplicationsSchema>;
  catalogue: ServiceCatalogue;
  watcher: TimelineWatcher;
  logger: Logger;
  heartbeatMs?: number;
  /**
   * The service's SDL: its `@access`/`@personalData` on the fields the stream shows decide who may
   * follow an application (see streamAccessRules) and which fields the audit record of a stream names.
   */
  typeDefs: DocumentNode;
  /**
   * With INTERNAL_CONTEXT_PUBLIC_KEY: the verifier of the gateway's `x-simpul-context`. Without it
   * (development and tests) the stream is served to anyone, as before, and is not time-limited.
   */
  verifier?: InternalContextVerifier;
  /** The audit log every stream's opening is recorded in (a READ of the application); none: not recorded. */
  audit?: AuditOptions;
}

/**
 * What one stream shows, as the graph types it: the `status` event carries these Application fields
 * and its tasks, the `timeline` events its timeline entries, both with their documents.
 */
const STREAMED_FIELDS: Readonly<Record<string, readonly string[] | 'every field'>> = {
  Application: ['id', 'type', 'status', 'slaBreached', 'tasks', 'timeline'],
  ApplicationTask: 'every field',
  ApplicationTimelineEntry: 'every field',
  ApplicationDocument: 'every field',
};

/**
 * The SDL's access rule of every field the stream shows (STREAMED_FIELDS): a caller is served the
 * stream only if the graph would give it every one of them, so the stream never shows more than
 * `application(id) { … }` would (roles, `self` for the applicant, a purpose for personal data).
 */
export function streamAccessRules(typeDefs: DocumentNode): FieldAccessRule[] {
  const types = new Map(describeSubgraphAccess(typeDefs).map((type) => [type.name, type]));
  return Object.entries(STREAMED_FIELDS).flatMap(([typeName, fieldNames]) => {
    const type = types.get(typeName);
    if (!type) throw new Error(`the live status stream shows ${typeName}, which the SDL does not define`);
    if (fieldNames === 'every field') return type.fields;
    return fieldNames.map((fieldName) => {
      const field = type.fields.find((candidate) => candidate.fieldName === fieldName);
      if (!field) throw new Error(`the live status stream shows ${typeName}.${fieldName}, which the SDL does not define`);
      return field;
    });
  });
}

/** The personal-data fields among them, `Type.field`: what the audit record of a stream names. */
function personalFields(rules: readonly FieldAccessRule[]): string[] {
  return rules.filter((rule) => rule.personal).map((rule) => `${rule.typeName}.${rule.fieldName}`);
}

/** Why `caller` may not follow an application whose data subjects are `subjects`; undefined when it may. */
function streamDenial(rules: readonly FieldAccessRule[], caller: InternalCaller, subjects: readonly string[]): DomainError | undefined {
  for (const rule of rules) {
    const denial = fieldAccessDenial(rule, caller, subjects);
    if (denial) return denial;
  }
  return undefined;
}

/**
 * `GET /applications/<id>/events`: the application's live status as server-sent events.
 *
 * - `event: status` first: the current status, SLA flag and tasks; its `id` is the position the
 *   timeline is sent from (0 on a fresh connection, the client's Last-Event-ID on a reconnection);
 * - then `event: timeline` for every timeline entry after that position, the ones already committed
 *   first (the whole timeline so far, on a fresh connection), then each new one as it is committed
 *   (`id` = its sequence).
 *
 * A client reconnecting with `Last-Event-ID` (EventSource does this itself) gets the current status
 * again and then every entry after that id, so nothing is missed nor repeated across a dropped
 * connection.
 * Unknown application: 404; malformed id: 400 (rule UUID).
 *
 * With a `verifier` (INTERNAL_CONTEXT_PUBLIC_KEY), only the gateway may open a stream, for a caller
 * the SDL lets read the application: no valid `x-simpul-context` is 401 UNAUTHENTICATED and a caller
 * the `@access` rules refuse (or without a purpose, the data being personal) is 403 FORBIDDEN, both
 * GraphQL-shaped with `extensions.code`. Whatever can be decided without the application is decided
 * before anything is read; `self` (the applicant) is checked against the application once read.
 * The stream ends when the context expires (its `exp`, a minute after the gateway signed it): the
 * client's EventSource reconnects through the gateway, which checks the user's token again and signs
 * a new context, and resumes after its Last-Event-ID.
 *
 * With `audit`, opening a stream is recorded as a READ of the applicant's data (every personal-data
 * field the stream shows), by the caller of the context, before anything is sent; when the audit
 * log cannot record it, the answer is 503 AUDIT_UNAVAILABLE and no event.
 */
export function applicationEventsRoute(options: ApplicationEventsRouteOptions): HttpRoute {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const rules = streamAccessRules(options.typeDefs);
  const streamedFields = personalFields(rules);
  const security = options.verifier && { verifier: options.verifier, rules };
  return async (req, res) => {
    const match = PATH.exec(requestUrl(req).pathname);
    if (!match) return false;
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      sendError(res, 405, 'METHOD_NOT_ALLOWED', 'use GET');
      return true;
    }
    let caller: InternalCaller | undefined;
    if (security) {
      try {
        caller = await authenticateRouteRequest(security.verifier, req, options.logger);
      } catch (error) {
        if (!isUnauthenticated(error)) throw error;
        sendError(res, 401, 'UNAUTHENTICATED', error.message);
        return true;
      }
      // Optimistically the applicant (a citizen user's own NIK): refused even so means refused whatever the application.
      const denial = streamDenial(security.rules, caller, caller.nik === undefined ? [] : [caller.nik]);
      if (denial) {
        sendForbidden(res, denial, caller, options.logger);
        return true;
      }
    }
    const id = parseUuid(decodeURIComponent(match[1]!), 'Application id');
    if (!id.ok) {
      sendJson(res, 400, { error: id.message, code: 'BAD_USER_INPUT', rule: id.rule });
      return true;
    }

    // A fresh connection is sent the timeline from its start; a reconnection from what it last saw.
    const after = lastEventIdOf(req) ?? 0;
    const [application] = await findApplicationsById(options.db, [id.value]);
    if (!application) {
      sendJson(res, 404, { error: `no application ${id.value}` });
      return true;
    }
    if (security && caller) {
      const denial = streamDenial(security.rules, caller, [application.applicantNik]);
      if (denial) {
        sendForbidden(res, denial, caller, options.logger);
        return true;
      }
    }
    const tasks = await findTasksOfApplications(options.db, [id.value]);
    if (options.audit) {
      try {
        await recordStreamRead(options.audit, req, caller, application, streamedFields);
      } catch (error) {
        options.logger.error({ err: error, correlationId: correlationIdOf(req), applicationId: application.id }, 'audit log unavailable: live status stream refused');
        sendError(res, 503, 'AUDIT_UNAVAILABLE', AUDIT_UNAVAILABLE_MESSAGE);
        return true;
      }
    }
    // The client may have gone while the stream was being prepared: nothing to send, nothing to watch.
    if (res.destroyed) return true;
    const now = new Date();

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx (and the gateway's proxy) must pass events on as they come, not buffer them.
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${RECONNECT_MS}\n\n`);
    writeEvent(res, 'status', after, {
      applicationId: application.id,
      type: application.type,
      status: application.status,
      slaBreached: isApplicationSlaBreached(application, tasks, now),
      tasks: tasks.map((task) => taskView(task, options.catalogue, now)),
    });

    const unwatch = options.watcher.watch(application.id, after, (entries) => {
      for (const entry of entries) writeEvent(res, 'timeline', entry.sequence, timelineEntryView(entry));
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
    heartbeat.unref();
    let expiry: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(heartbeat);
      clearTimeout(expiry);
      unwatch();
      if (!res.writableEnded) res.end();
    };
    res.once('close', finish);
    // Not a moment past the caller's context: the reconnect is checked (and audited) afresh.
    const expiresAt = caller ? contextExpiry(req) : undefined;
    if (expiresAt !== undefined) {
      expiry = setTimeout(finish, Math.max(0, expiresAt - Date.now()));
      expiry.unref();
    }
    return true;
  };
}

/**
 * Appends the READ record of a stream about to open: the applicant's personal-data fields the stream
 * shows, by the caller of the request's context (verified, or only decoded when this service does not
 * verify contexts: the audit service, given the key, refuses records naming anyone else), with the
 * context forwarded. Rejects when the audit log does not confirm.
 */
async function recordStreamRead(
  audit: AuditOptions,
  req: IncomingMessage,
  caller: InternalCaller | undefined,
  application: ApplicationRow,
  fields: readonly string[],
): Promise<void> {
  const internalContext = singleHeader(req, INTERNAL_CONTEXT_HEADER);
  const actor: AuditActor = caller
    ? { actor: caller.subject, actorType: caller.actorType, client: caller.client, roles: caller.roles, purpose: caller.purpose ?? null }
    : auditActorOf(internalContext);
  const correlationId = correlationIdOf(req);
  const recorder = new CollectingAuditRecorder();
  for (const field of fields) {
    const [typeName, fieldName] = field.split('.') as [string, string];
    recorder.access({ nik: application.applicantNik, typeName, fieldName, kind: 'READ' });
  }
  const records = recorder.records({ actor, correlationId, occurredAt: new Date(), nikHashPepper: audit.nikHashPepper });
  await audit.sink.append({ service: AUDIT_SERVICE, records }, { internalContext, correlationId });
}

/**
 * When the request's context expires, in ms since the epoch: its `exp` claim. Read only after the
 * verifier accepted the context, so the claim is the gateway's.
 */
function contextExpiry(req: IncomingMessage): number | undefined {
  const payload = singleHeader(req, INTERNAL_CONTEXT_HEADER)?.split('.')[1];
  if (!payload) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function singleHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
}

function writeEvent(res: ServerResponse, event: string, id: number, data: unknown): void {
  res.write(`event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
}

function lastEventIdOf(req: IncomingMessage): number | undefined {
  const header = req.headers['last-event-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/** authenticateSubgraphRequest's refusal (a GraphQLError, possibly of another copy of graphql-js). */
function isUnauthenticated(error: unknown): error is Error {
  return error instanceof Error && (error as { extensions?: { code?: unknown } }).extensions?.code === 'UNAUTHENTICATED';
}

function sendError(res: ServerResponse, status: number, code: string, message: string, details: Record<string, unknown> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { ...details, code } }] });
}

function sendForbidden(res: ServerResponse, denial: DomainError, caller: InternalCaller, logger: Logger): void {
  logger.info({ correlationId: caller.correlationId, client: caller.client, roles: caller.roles, rule: denial.details.rule }, 'live status stream refused');
  sendError(res, 403, denial.code, denial.message, denial.details);
}
