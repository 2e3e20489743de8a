import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseUuid } from '@simpul/identifiers';
import {
  authenticateSubgraphRequest,
  describeSubgraphAccess,
  fieldAccessDenial,
  type Database,
  type DomainError,
  type FieldAccessRule,
  type HttpRoute,
  type InternalCaller,
  type InternalContextVerifier,
  type Logger,
} from '@simpul/service-kit';
import type { DocumentNode } from 'graphql';
import type { ApplicationsSchema } from '../../db/schema';
import { findApplicationsById } from '../application/application.repository';
import type { ServiceCatalogue } from '../catalogue/service-catalogue';
import { isApplicationSlaBreached } from '../task/sla';
import { findTasksOfApplications } from '../task/task.repository';
import { taskView } from '../task/task.view';
import { lastTimelineSequence } from './timeline.repository';
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
   * With INTERNAL_CONTEXT_PUBLIC_KEY: the verifier of the gateway's `x-simpul-context` and the
   * service's SDL, whose `@access`/`@personalData` decide who may follow an application (see
   * streamAccessRules). Without it (development and tests) the stream is served to anyone, as before.
   */
  security?: { verifier: InternalContextVerifier; typeDefs: DocumentNode };
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
 * - `event: status` first: the current status, SLA flag and tasks; its `id` is the position of the
 *   latest timeline entry;
 * - then `event: timeline` for every new timeline entry as it is committed (`id` = its sequence).
 *
 * A client reconnecting with `Last-Event-ID` (EventSource does this itself) gets the current status
 * again and then every entry after that id, so nothing is missed across a dropped connection.
 * Unknown application: 404; malformed id: 400 (rule UUID).
 *
 * With `security` (INTERNAL_CONTEXT_PUBLIC_KEY), only the gateway may open a stream, for a caller the
 * SDL lets read the application: no valid `x-simpul-context` is 401 UNAUTHENTICATED and a caller
 * the `@access` rules refuse (or without a purpose, the data being personal) is 403 FORBIDDEN, both
 * GraphQL-shaped with `extensions.code`. Whatever can be decided without the application is decided
 * before anything is read; `self` (the applicant) is checked against the application once read.
 */
export function applicationEventsRoute(options: ApplicationEventsRouteOptions): HttpRoute {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const security = options.security && { verifier: options.security.verifier, rules: streamAccessRules(options.security.typeDefs) };
  return async (req, res) => {
    const match = PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (!match) return false;
    if (req.method !== 'GET') {
      sendJson(res, 405, { error: 'use GET' }, { allow: 'GET' });
      return true;
    }
    let caller: InternalCaller | undefined;
    if (security) {
      try {
        caller = await authenticateSubgraphRequest(security.verifier, req, options.logger);
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

    // The position is read before the status: an entry committed in between is sent again as an
    // event (harmless), never lost.
    const after = lastEventIdOf(req) ?? (await lastTimelineSequence(options.db, id.value));
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
    res.once('close', () => {
      clearInterval(heartbeat);
      unwatch();
    });
    return true;
  };
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

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
